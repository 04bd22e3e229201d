package dev.sluice.cli;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.s3.NotifyingUploader;
import dev.sluice.aws.s3.S3Clients;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Puts files into a bucket and publishes the S3 notification for each to the playtime queue: what {@code upload},
 * {@code generate playtime} and the demo share. Endpoints and credentials come from the configuration.
 */
final class PlaytimePublisher implements AutoCloseable {
    private final S3Client s3;
    private final SqsClient sqs;
    private final String queue;
    private final NotifyingUploader uploader;

    private PlaytimePublisher(S3Client s3, SqsClient sqs, String queue, NotifyingUploader uploader) {
        this.s3 = s3;
        this.sqs = sqs;
        this.queue = queue;
        this.uploader = uploader;
    }

    /** @param queue the queue name or URL to notify */
    static PlaytimePublisher open(AwsClientSettings aws, String queue) {
        String target = Objects.requireNonNull(queue, "queue");
        S3Client s3 = S3Clients.create(aws);
        SqsClient sqs = SqsClients.create(aws);
        try {
            return new PlaytimePublisher(s3, sqs, target, new NotifyingUploader(s3, sqs,
                    SqsSource.queueUrl(sqs, target), s3.serviceClientConfiguration().region().id(), Clock.systemUTC()));
        } catch (RuntimeException e) {
            sqs.close();
            s3.close();
            throw e;
        }
    }

    /** Stores {@code file} at {@code bucket}/{@code key}, then publishes its notification. */
    S3ObjectRef upload(Path file, String bucket, String key) throws IOException {
        try {
            return uploader.upload(file, bucket, key);
        } catch (NoSuchBucketException e) {
            throw noSuchBucket(bucket, e);
        } catch (SdkClientException e) {
            throw unreachable(e);
        }
    }

    /** Stores {@code file} without publishing anything, for a bucket whose S3 notifications are configured. */
    void store(Path file, String bucket, String key) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(key), file);
        } catch (NoSuchBucketException e) {
            throw noSuchBucket(bucket, e);
        } catch (SdkClientException e) {
            throw unreachable(e);
        }
    }

    private IllegalArgumentException noSuchBucket(String bucket, NoSuchBucketException e) {
        return new IllegalArgumentException("bucket " + bucket + " does not exist at " + where(), e);
    }

    private IllegalStateException unreachable(SdkClientException e) {
        return new IllegalStateException("cannot reach S3 or SQS at " + where(), e);
    }

    private String where() {
        return s3.serviceClientConfiguration().endpointOverride().map(Object::toString)
                .orElse("region " + s3.serviceClientConfiguration().region());
    }

    String queue() {
        return queue;
    }

    @Override
    public void close() {
        sqs.close();
        s3.close();
    }
}
