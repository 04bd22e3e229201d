package dev.sluice.aws.s3;

import dev.sluice.core.engine.SourceCoordinates;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One object that an S3 event notification says was created, with its key already URL-decoded, so it can be
 * passed to {@code GetObject} as is.
 *
 * <p>The ETag is the one S3 reported at notification time (without the quotes S3 puts around it in HTTP headers).
 * The object may have been overwritten since; whoever reads it should key its work by the ETag actually read.
 *
 * @param bucket    the bucket name
 * @param key       the object key, decoded ({@code red+flower.jpg} in the notification is {@code red flower.jpg} here)
 * @param size      the object size in bytes
 * @param eTag      the object's ETag as S3 reported it
 * @param eventTime when S3 finished processing the request
 * @param eventName the event type, e.g. {@code ObjectCreated:Put} or {@code ObjectCreated:CompleteMultipartUpload}
 * @param versionId the object version, present only in versioning-enabled buckets
 * @param sequencer S3's hexadecimal ordering token for events on the same key, when S3 sent one
 */
public record S3ObjectRef(
        String bucket,
        String key,
        long size,
        String eTag,
        Instant eventTime,
        String eventName,
        Optional<String> versionId,
        Optional<String> sequencer) {

    public S3ObjectRef {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eTag, "eTag");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(sequencer, "sequencer");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
    }

    /** Where the object's rows came from, pinned to this ETag: the natural key for "this file counts once". */
    public SourceCoordinates.StoredObject coordinates() {
        return new SourceCoordinates.StoredObject(bucket, key, eTag);
    }
}
