package dev.sluice.aws;

import dev.sluice.aws.s3.S3TransferTimeouts;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach AWS (or a local server speaking its API). Every field may be {@code null} in configuration and
 * then falls back to what the AWS SDK would do on its own, so the same settings work on a laptop against embedded
 * servers and in production with instance roles.
 *
 * @param region          AWS region; when {@code null} the SDK's default region chain decides when a client is built:
 *                        the {@code aws.region} system property, {@code AWS_REGION}, the {@code region} of the profile
 *                        ({@code AWS_PROFILE}, else {@code default}) in {@code ~/.aws/config}, instance metadata; no
 *                        hard-coded fallback, a process that finds none fails naming {@code aws.region}
 * @param endpoints       endpoint overrides per service, for servers that speak the AWS API (ElasticMQ, s3proxy,
 *                        MinIO); a service without one is resolved by the SDK, which honours
 *                        {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_S3},
 *                        {@code AWS_ENDPOINT_URL_KINESIS} and {@code AWS_ENDPOINT_URL}
 * @param accessKeyId     static credentials, given together with {@code secretAccessKey}; when both are {@code null}
 *                        the SDK's default credentials chain applies (environment, profile, web identity, instance
 *                        role)
 * @param secretAccessKey never logged; {@link #toString()} redacts it
 * @param maxConnections  HTTP connections held open to the service, at most; each receiver's long poll holds one
 * @param apiCallTimeout  how long one API call may take, retries included; must exceed the long-poll wait. Object
 *                        transfers (S3 PUT from a file, GET to a file) take {@code s3Transfers} instead
 * @param s3Transfers     how long one S3 object transfer may take, scaled by its size
 * @param roleArn         a role to assume (STS AssumeRole, session {@value #ROLE_SESSION_NAME}, renewed before it
 *                        expires) with the credentials found otherwise: the static ones, else the default chain. For
 *                        a role of its own per process or in another account; a profile with {@code role_arn} or
 *                        an ECS task role needs none
 */
public record AwsClientSettings(
        String region,
        AwsEndpoints endpoints,
        String accessKeyId,
        String secretAccessKey,
        Integer maxConnections,
        Duration apiCallTimeout,
        S3TransferTimeouts s3Transfers,
        String roleArn) {

    public static final int DEFAULT_MAX_CONNECTIONS = 50;
    public static final String ROLE_SESSION_NAME = "sluice";
    /** IAM role ARNs in every partition (aws, aws-cn, aws-us-gov), with a path or without. */
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");
    public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(30);

    public AwsClientSettings {
        region = region == null ? null : requireRegion(region);
        endpoints = endpoints == null ? AwsEndpoints.NONE : endpoints;
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("accessKeyId and secretAccessKey must be given together or not at "
                    + "all (then the default credentials chain applies); only "
                    + (accessKeyId == null ? "secretAccessKey" : "accessKeyId") + " was given");
        }
        if (accessKeyId != null && (accessKeyId.isBlank() || secretAccessKey.isBlank())) {
            throw new IllegalArgumentException("accessKeyId and secretAccessKey must not be blank when given");
        }
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : requireMaxConnections(maxConnections);
        apiCallTimeout = apiCallTimeout == null ? DEFAULT_API_CALL_TIMEOUT : requireApiCallTimeout(apiCallTimeout);
        s3Transfers = s3Transfers == null ? S3TransferTimeouts.DEFAULTS : s3Transfers;
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("roleArn must be an IAM role ARN such as "
                    + "arn:aws:iam::123456789012:role/sluice, was '" + roleArn + "'");
        }
    }

    /** Settings without a role to assume, as before {@code roleArn} existed. */
    public AwsClientSettings(String region, AwsEndpoints endpoints, String accessKeyId, String secretAccessKey,
                             Integer maxConnections, Duration apiCallTimeout, S3TransferTimeouts s3Transfers) {
        this(region, endpoints, accessKeyId, secretAccessKey, maxConnections, apiCallTimeout, s3Transfers, null);
    }

    /** Settings with every default: region and credentials from the environment, SDK endpoint resolution. */
    public static AwsClientSettings defaults() {
        return new AwsClientSettings(null, null, null, null, null, null, null);
    }

    /** Settings for a local SQS server that speaks the AWS API and accepts any static credentials. */
    public static AwsClientSettings local(URI sqsEndpoint, String region) {
        return new AwsClientSettings(region, new AwsEndpoints(sqsEndpoint, null), "local", "local", null, null, null);
    }

    /** These settings with {@code endpoints} instead of the current ones. */
    public AwsClientSettings withEndpoints(AwsEndpoints endpoints) {
        return new AwsClientSettings(region, endpoints, accessKeyId, secretAccessKey, maxConnections, apiCallTimeout,
                s3Transfers, roleArn);
    }

    public boolean hasStaticCredentials() {
        return accessKeyId != null;
    }

    /**
     * Applies region, HTTP connections, timeouts, credentials and {@code endpoint} to a service client builder, so
     * every AWS client in Sluice follows the same rules.
     */
    public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B applyTo(B builder,
                                                                                    Optional<URI> endpoint) {
        builder.region(resolveRegion())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(maxConnections))
                .overrideConfiguration(o -> o.apiCallTimeout(apiCallTimeout));
        endpoint.ifPresent(builder::endpointOverride);
        if (roleArn != null) {
            builder.credentialsProvider(assumeRole());
        } else if (hasStaticCredentials()) {
            builder.credentialsProvider(staticCredentials());
        }
        return builder;
    }

    private StaticCredentialsProvider staticCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    /**
     * Credentials of {@link #roleArn}, asked of STS in the client's region (its endpoint from the SDK's rules, so
     * {@code AWS_ENDPOINT_URL_STS} works) with the static credentials, else the default chain's. Its STS client
     * lives as long as the service client's credentials do, the process: clients are built once per source.
     */
    private StsAssumeRoleCredentialsProvider assumeRole() {
        StsClientBuilder sts = StsClient.builder().region(resolveRegion())
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(apiCallTimeout));
        if (hasStaticCredentials()) {
            sts.credentialsProvider(staticCredentials());
        }
        return StsAssumeRoleCredentialsProvider.builder().stsClient(sts.build())
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(ROLE_SESSION_NAME))
                .build();
    }

    @Override
    public String toString() {
        String credentials = (hasStaticCredentials() ? "static (redacted)" : "default chain")
                + (roleArn == null ? "" : ", assuming " + roleArn);
        return "AwsClientSettings[region=" + (region == null ? "sdk default chain" : region) + ", endpoints=" + endpoints
                + ", credentials=" + credentials + ", maxConnections=" + maxConnections
                + ", apiCallTimeout=" + apiCallTimeout + ", s3Transfers=" + s3Transfers + "]";
    }

    /**
     * The configured region, else the SDK's default chain's. Resolved when a client is built rather than when the
     * settings load, so a process that builds no AWS client never waits on instance metadata.
     *
     * @throws IllegalStateException naming {@code aws.region} when neither gives one
     */
    public Region resolveRegion() {
        return resolveRegion(new DefaultAwsRegionProviderChain());
    }

    Region resolveRegion(AwsRegionProvider chain) {
        if (region != null) {
            return Region.of(region);
        }
        try {
            return chain.getRegion();
        } catch (SdkClientException none) {
            throw new IllegalStateException("no AWS region: set aws.region in the configuration, or AWS_REGION, or "
                    + "a region in the AWS profile (AWS_PROFILE, ~/.aws/config); ECS sets AWS_REGION, and on EC2 the "
                    + "instance metadata gives it", none);
        }
    }

    private static String requireRegion(String region) {
        if (!region.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("region must be an AWS region id such as eu-west-1 (lower-case "
                    + "letters, digits, dashes), was '" + region + "'");
        }
        return region;
    }

    private static int requireMaxConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        return maxConnections;
    }

    private static Duration requireApiCallTimeout(Duration apiCallTimeout) {
        if (apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
            throw new IllegalArgumentException("apiCallTimeout must be positive, was " + apiCallTimeout);
        }
        return apiCallTimeout;
    }
}
