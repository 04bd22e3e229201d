package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.AwsEndpoints;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.LocalAwsAccount;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Object transfers against a real S3 API (the embedded s3proxy): their timeouts and their failures. */
class S3TransfersTest {
    private static final String BUCKET = "transfers";
    /** Far shorter than moving 32 MB takes, even on loopback. */
    private static final Duration SHORT = Duration.ofMillis(50);

    @TempDir
    static Path storage;
    @TempDir
    Path work;

    private static EmbeddedS3 s3;

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.start(storage.resolve("s3"));
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    /**
     * A 32 MB object under a 50 ms call timeout and a 50 ms transfer minimum: only the part of the transfer timeout
     * that grows with the size (32 s at 1 MiB/s) lets the PUT and the GET through.
     */
    @Test
    void aLargeObjectTransfersUnderAShortBaseTimeout() throws Exception {
        Path file = work.resolve("large.bin");
        byte[] chunk = new byte[1 << 20];
        new Random(7).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 32; i++) {
                out.write(chunk);
            }
        }
        AwsClientSettings settings = new AwsClientSettings(LocalAwsAccount.REGION.id(),
                new AwsEndpoints(null, s3.endpoint()), LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, null, SHORT, new S3TransferTimeouts(SHORT, 1_048_576L));

        try (S3Client client = S3Clients.create(settings)) {
            String eTag = new S3FileUploader(client).put(file, BUCKET, "large.bin", "application/octet-stream",
                    Map.of());
            S3ObjectRef ref = new S3ObjectRef(BUCKET, "large.bin", Files.size(file), eTag, Instant.now(),
                    S3EventNotificationBuilder.EVENT_NAME, Optional.empty(), Optional.empty());
            try (DownloadedObject object = new S3ObjectDownloader(client).download(ref, work.resolve("down"))) {
                assertThat(object.eTag()).isEqualTo(eTag);
                assertThat(object.file()).hasSameBinaryContentAs(file);
            }
        }
    }

    /** A bucket that does not exist is permanent: the reason names the bucket and S3's code, not the key. */
    @Test
    void aMissingBucketIsAPermanentFailureNamingTheBucketAndTheCode() throws Exception {
        Path file = Files.writeString(work.resolve("small.json"), "{}");
        try (S3Client client = s3.newClient()) {
            assertThatThrownBy(() -> new S3FileUploader(client).put(file, "no-such-bucket", "user-42/small.json",
                    "application/json", Map.of()))
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessageStartingWith("S3 bucket no-such-bucket: NoSuchBucket (HTTP 404, request id ")
                    .hasMessageNotContaining("user-42")
                    .hasNoCause();
        }
    }
}
