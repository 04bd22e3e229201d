package dev.sluice.aws.s3;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a file into a bucket and then sends the S3 event notification S3 would have sent for it to a queue, because
 * the local object store cannot notify. {@code sluice upload} and {@code sluice generate playtime} use it; against
 * real S3 with bucket notifications configured, publish nothing and let S3 do it.
 *
 * <p>The notification goes out only after the object is stored, carrying the ETag the store returned, exactly as S3
 * orders it; if sending fails, the object stays and uploading it again publishes again (the pipeline counts a
 * version once).
 *
 * <pre>{@code
 * S3ObjectRef uploaded = new NotifyingUploader(s3, sqs, queueUrl, "us-east-1", Clock.systemUTC())
 *         .upload(Path.of("day-1.parquet"), "playtime-datasets", "2026/11/day-1.parquet");
 * }</pre>
 */
public final class NotifyingUploader {
    private final S3Client s3;
    private final SqsClient sqs;
    private final String queueUrl;
    private final S3EventNotificationBuilder notifications;
    private final Clock clock;

    public NotifyingUploader(S3Client s3, SqsClient sqs, String queueUrl, String region, Clock clock) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.notifications = new S3EventNotificationBuilder(region);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stores {@code file} at {@code bucket}/{@code key} (replacing what was there) and publishes its notification.
     *
     * @return what the notification says was created
     */
    public S3ObjectRef upload(Path file, String bucket, String key) throws IOException {
        long size = Files.size(file);
        PutObjectResponse put = s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
        String eTag = S3ObjectDownloader.unquoted(put.eTag());
        Instant stored = clock.instant();
        String body = notifications.objectCreated(bucket, key, size, eTag, stored);
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
        return new S3ObjectRef(bucket, key, size, eTag, stored, S3EventNotificationBuilder.EVENT_NAME,
                Optional.empty(), Optional.empty());
    }
}
