package dev.sluice.aws;

import java.net.URI;
import java.util.Optional;

/**
 * Endpoint overrides per AWS service, for servers that speak its API (ElasticMQ, s3proxy, MinIO, LocalStack).
 * Production on AWS needs none: a {@code null} endpoint lets the SDK resolve it from the region, honouring
 * {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_S3} and {@code AWS_ENDPOINT_URL}.
 *
 * @param sqs for example {@code http://localhost:9324}
 * @param s3  for example {@code http://localhost:9000}; a store with an override is addressed path-style
 *            ({@code /bucket/key}), since local stores have no per-bucket host names
 */
public record AwsEndpoints(URI sqs, URI s3) {

    public static final AwsEndpoints NONE = new AwsEndpoints(null, null);

    public AwsEndpoints {
        requireHttp("sqs", sqs);
        requireHttp("s3", s3);
    }

    public Optional<URI> sqsOverride() {
        return Optional.ofNullable(sqs);
    }

    public Optional<URI> s3Override() {
        return Optional.ofNullable(s3);
    }

    @Override
    public String toString() {
        return "[sqs=" + (sqs == null ? "sdk default" : sqs) + ", s3=" + (s3 == null ? "sdk default" : s3) + "]";
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
