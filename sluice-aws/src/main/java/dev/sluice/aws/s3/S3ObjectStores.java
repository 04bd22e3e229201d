package dev.sluice.aws.s3;

import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.files.ObjectStore;
import dev.sluice.core.files.ObjectStores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The {@code s3} object store of the {@code files} sink: the process's S3 client, and each sink's bucket. A put
 * streams the file from disk ({@link S3FileUploader}); refusals retrying cannot mend are
 * {@link PermanentFailureException}s naming the bucket, never the key ({@link S3Failures}).
 *
 * <pre>{@code
 * ObjectStore lake = new S3ObjectStores(s3).forBucket("lake");
 * lake.put(Path.of("/work/sluice-files-1.part"), "clicks/type=view/4f1c-1.json.gz", "application/gzip", Map.of());
 * }</pre>
 */
public final class S3ObjectStores implements ObjectStores {
    private final S3Client s3;
    private final S3FileUploader uploader;

    public S3ObjectStores(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.uploader = new S3FileUploader(s3);
    }

    @Override
    public ObjectStore forBucket(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        return new ObjectStore() {
            @Override
            public void put(Path file, String key, String contentType, Map<String, String> metadata)
                    throws IOException, PermanentFailureException {
                uploader.put(file, bucket, key, contentType, metadata);
            }

            @Override
            public void delete(String key) throws PermanentFailureException {
                try {
                    s3.deleteObject(r -> r.bucket(bucket).key(key));
                } catch (S3Exception e) {
                    throw S3Failures.permanentOrRethrow(bucket, e);
                }
            }
        };
    }
}
