package dev.sluice.aws.s3;

import dev.sluice.core.engine.PermanentFailureException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Streams a notified object to a local file (never into memory), within a timeout that grows with its notified size
 * ({@link S3TransferTimeouts} of the client), so a reader can work through it with bounded
 * memory. It reads the object's current version and reports the ETag it read: an object overwritten between the
 * notification and the read is processed as read, under its new ETag, and its own notification later finds that
 * work done.
 *
 * <pre>{@code
 * try (DownloadedObject object = new S3ObjectDownloader(s3).download(ref, workDirectory)) {
 *     aggregate(object.file()); markDone(object.bucket(), object.key(), object.eTag());
 * }
 * }</pre>
 *
 * <p>A missing object, or a bucket that does not exist (both named by the notification, so that one message is
 * refused), is a {@link MissingObjectException}. Access denied and the other refusals retrying cannot mend are a
 * {@link PermanentFailureException} ({@link S3Failures}): the role's permissions, not the message, are at fault.
 * (S3 also answers 403 for a missing key when the role lacks {@code s3:ListBucket}; grant it, and a deleted object
 * is a 404, refused.) Every other failure (network, timeout, 5xx, throttling) propagates as the SDK's exception, for
 * the engine to retry.
 */
public final class S3ObjectDownloader {
    private final S3Client client;
    private final S3TransferTimeouts timeouts;

    public S3ObjectDownloader(S3Client client) {
        this.client = client;
        this.timeouts = S3TransferTimeouts.of(client);
    }

    public DownloadedObject download(S3ObjectRef ref, Path directory)
            throws MissingObjectException, PermanentFailureException, IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("s3-" + UUID.randomUUID() + ".part");
        try {
            // Timed by the notified size: an object overwritten since with a much larger one may need a retry.
            Duration timeout = timeouts.forBytes(ref.size());
            GetObjectResponse response = client.getObject(r -> r.bucket(ref.bucket()).key(ref.key())
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)), ResponseTransformer.toFile(file));
            return new DownloadedObject(file, ref.bucket(), ref.key(), unquoted(response.eTag()),
                    response.contentLength());
        } catch (NoSuchKeyException e) {
            Files.deleteIfExists(file);
            throw new MissingObjectException("s3://" + ref.bucket() + "/" + ref.key() + " no longer exists", e);
        } catch (NoSuchBucketException e) {
            Files.deleteIfExists(file);
            throw new MissingObjectException("bucket " + ref.bucket() + " does not exist", e);
        } catch (S3Exception e) {
            Files.deleteIfExists(file);
            throw S3Failures.permanentOrRethrow(ref.bucket(), e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** S3 sends ETags quoted in HTTP headers and unquoted in notifications; markers use the unquoted form. */
    static String unquoted(String eTag) {
        return eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}
