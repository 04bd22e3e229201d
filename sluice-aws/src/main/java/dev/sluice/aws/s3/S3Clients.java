package dev.sluice.aws.s3;

import dev.sluice.aws.AwsClientSettings;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds S3 clients from {@link AwsClientSettings}. With an S3 endpoint override (s3proxy, MinIO) buckets are
 * addressed path-style, {@code http://host/bucket/key}: local stores have no per-bucket host names. The client
 * carries the settings' {@link S3TransferTimeouts}, which {@link S3FileUploader} and {@link S3ObjectDownloader} give
 * each transfer on it ({@link S3TransferTimeouts#of}); its other calls keep {@code apiCallTimeout}. The caller owns
 * the client and closes it.
 */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3Client create(AwsClientSettings settings) {
        S3ClientBuilder builder = settings.applyTo(S3Client.builder(), settings.endpoints().s3Override())
                .forcePathStyle(settings.endpoints().s3Override().isPresent());
        return builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                        .putExecutionAttribute(S3TransferTimeouts.ON_CLIENT, settings.s3Transfers()).build())
                .build();
    }
}
