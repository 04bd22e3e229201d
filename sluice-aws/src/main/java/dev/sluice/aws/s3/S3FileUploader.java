package dev.sluice.aws.s3;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Stores a local file as one object, streamed from disk (never read into memory), within a timeout that grows with
 * the file's size ({@link S3TransferTimeouts} of the client). When {@link #put} returns, the object is durable in
 * the store; any failure (bucket missing, access denied, network, 5xx) propagates as the SDK's exception, so the
 * caller keeps the file and tries again.
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
     */
    public String put(Path file, String bucket, String key, String contentType, Map<String, String> metadata)
            throws IOException {
        Duration timeout = timeouts.forBytes(Files.size(file));
        return S3ObjectDownloader.unquoted(s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType)
                .metadata(metadata).overrideConfiguration(o -> o.apiCallTimeout(timeout)), RequestBody.fromFile(file))
                .eTag());
    }
}
