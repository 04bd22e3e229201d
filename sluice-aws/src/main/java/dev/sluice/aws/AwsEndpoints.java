package dev.sluice.aws;

import java.net.URI;
import java.util.Optional;

/**
 * Endpoint overrides per AWS service, for servers that speak its API (ElasticMQ, s3proxy, MinIO, LocalStack).
 * Production on AWS needs none: a {@code null} endpoint lets the SDK resolve it from the region, honouring
 * {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL_KINESIS} and
 * {@code AWS_ENDPOINT_URL}.
 *
 * @param sqs     for example {@code http://localhost:9324}
 * @param s3      for example {@code http://localhost:9000}; a store with an override is addressed path-style
 *                ({@code /bucket/key}), since local stores have no per-bucket host names
 * @param kinesis for example {@code http://localhost:4568} (the kinesis-local emulator)
 */
public record AwsEndpoints(URI sqs, URI s3, URI kinesis) {

    public static final AwsEndpoints NONE = new AwsEndpoints(null, null, null);

    public AwsEndpoints {
        requireHttp("sqs", sqs);
        requireHttp("s3", s3);
        requireHttp("kinesis", kinesis);
    }

    /** Overrides for SQS and S3 only; Kinesis is resolved by the SDK. */
    public AwsEndpoints(URI sqs, URI s3) {
        this(sqs, s3, null);
    }

    public Optional<URI> sqsOverride() {
        return Optional.ofNullable(sqs);
    }

    public Optional<URI> s3Override() {
        return Optional.ofNullable(s3);
    }

    public Optional<URI> kinesisOverride() {
        return Optional.ofNullable(kinesis);
    }

    @Override
    public String toString() {
        return "[sqs=" + describe(sqs) + ", s3=" + describe(s3) + ", kinesis=" + describe(kinesis) + "]";
    }

    private static String describe(URI endpoint) {
        return endpoint == null ? "sdk default" : endpoint.toString();
    }

    private static void requireHttp(String service, URI endpoint) {
        if (endpoint == null) {
            return;
        }
        String scheme = endpoint.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
            throw new IllegalArgumentException(service + " must be an absolute http or https URL such as "
                    + "http://localhost:9324, was '" + endpoint + "'");
        }
    }
}
