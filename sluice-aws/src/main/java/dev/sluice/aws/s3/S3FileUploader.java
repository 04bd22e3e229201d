package dev.sluice.aws.s3;

import dev.sluice.core.engine.PermanentFailureException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Stores a local file as one object, streamed from disk (never read into memory), within a timeout that grows with
 * the file's size ({@link S3TransferTimeouts} of the client). When {@link #put} returns, the object is durable in
 * the store. A refusal that retrying cannot mend (bucket missing, access denied, credentials refused) is a
 * {@link PermanentFailureException}; any other failure (network, timeout, 5xx, throttling) propagates as the SDK's
 * exception. Either way the caller keeps the file.
 *
 * <pre>{@code
 * String eTag = new S3FileUploader(s3).put(Path.of("/work/raw-1.json.gz"), "tracking",
 *         "tracking-raw/dt=2026-11-22/184512-4f1c….json.gz", "application/gzip", Map.of("events", "10000"));
 * }</pre>
 */
public final class S3FileUploader {
    private final S3Client s3;
    private final S3TransferTimeouts timeouts;

    public S3FileUploader(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.timeouts = S3TransferTimeouts.of(s3);
    }

    /**
     * Puts {@code file} at {@code bucket}/{@code key}, replacing what was there.
     *
     * @param metadata user metadata ({@code x-amz-meta-*}); never personal data, S3 shows it to every reader
     * @return the ETag the store returned, without quotes
     * @throws PermanentFailureException when S3 refuses the call for good: bucket missing, access denied,
     *                                   credentials refused ({@link S3Failures}); anything else is transient
     */
    public String put(Path file, String bucket, String key, String contentType, Map<String, String> metadata)
            throws IOException, PermanentFailureException {
        Duration timeout = timeouts.forBytes(Files.size(file));
        try {
            return S3ObjectDownloader.unquoted(s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType)
                    .metadata(metadata).overrideConfiguration(o -> o.apiCallTimeout(timeout)),
                    RequestBody.fromFile(file)).eTag());
        } catch (S3Exception e) {
            throw S3Failures.permanentOrRethrow(bucket, e);
        }
    }
}
