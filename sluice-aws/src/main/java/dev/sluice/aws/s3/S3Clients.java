package dev.sluice.aws.s3;

import dev.sluice.aws.AwsClientSettings;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds S3 clients from {@link AwsClientSettings}. With an S3 endpoint override (s3proxy, MinIO) buckets are
 * addressed path-style, {@code http://host/bucket/key}: local stores have no per-bucket host names. The caller owns
 * the client and closes it.
 */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3Client create(AwsClientSettings settings) {
        return settings.applyTo(S3Client.builder(), settings.endpoints().s3Override())
                .forcePathStyle(settings.endpoints().s3Override().isPresent())
                .build();
    }
}
