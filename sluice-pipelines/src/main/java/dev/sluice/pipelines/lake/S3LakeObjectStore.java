package dev.sluice.pipelines.lake;

import dev.sluice.aws.s3.S3Failures;
import dev.sluice.aws.s3.S3FileUploader;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.parquet.lake.LakeObjectStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The lake in an S3 bucket: each file is stored with one PutObject, so the object appears only complete, and a
 * replay's put of the same key replaces it. (Files stay far below PutObject's 5 GB limit: they roll at
 * {@code maxFileBytes}.)
 *
 * <pre>{@code
 * LakeObjectStore lake = new S3LakeObjectStore(S3Clients.create(aws), S3LakeObjectStore.DEFAULT_BUCKET);
 * }</pre>
 */
public record S3LakeObjectStore(S3Client s3, String bucket) implements LakeObjectStore {
    public static final String DEFAULT_BUCKET = "lake";

    /** The caller owns {@code s3} and closes it. */
    public S3LakeObjectStore {
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(bucket, "bucket");
    }

    /** Within the transfer timeout of the file's size; a refusal for good is permanent ({@link S3FileUploader}). */
    @Override
    public void put(String key, Path file) throws IOException, PermanentFailureException {
        new S3FileUploader(s3).put(file, bucket, key, "application/vnd.apache.parquet", Map.of());
    }

    /** Deleting a key that is not there succeeds; a refusal for good is permanent ({@link S3Failures}). */
    @Override
    public void delete(String key) throws PermanentFailureException {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
        } catch (S3Exception e) {
            throw S3Failures.permanentOrRethrow(bucket, e);
        }
    }
}
