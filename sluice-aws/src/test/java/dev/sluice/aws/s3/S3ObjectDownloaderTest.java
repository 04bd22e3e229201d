package dev.sluice.aws.s3;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.LocalAwsAccount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloads against a real S3 API (the embedded s3proxy), from refs parsed out of real notification JSON. */
class S3ObjectDownloaderTest {
    private static final String BUCKET = "playtime-datasets";

    @TempDir
    static Path storage;
    @TempDir
    Path work;

    private static EmbeddedS3 s3;
    private static S3Client client;

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.start(storage.resolve("s3"));
        s3.createBucket(BUCKET);
        client = s3.newClient();
    }

    @AfterAll
    static void stopS3() {
        client.close();
        s3.close();
    }

    /** Puts an object and returns the ref its (locally built, exact AWS) notification parses to. */
    private static S3ObjectRef put(String bucket, String key, String content) {
        String eTag = S3ObjectDownloader.unquoted(client.putObject(r -> r.bucket(bucket).key(key),
                RequestBody.fromString(content)).eTag());
        String notification = new S3EventNotificationBuilder("us-east-1")
                .objectCreated(bucket, key, content.length(), eTag, Instant.now());
        Outcome<List<S3ObjectRef>> parsed = new S3EventNotificationParser().apply(notification);
        return ((Outcome.Emit<List<S3ObjectRef>>) parsed).value().getFirst();
    }

    @Test
    void downloadsTheObjectWithTheETagItRead() throws Exception {
        S3ObjectRef ref = put(BUCKET, "day 1/file+1.parquet", "PAR1 content");
        try (DownloadedObject object = new S3ObjectDownloader(client).download(ref, work)) {
            assertThat(Files.readString(object.file())).isEqualTo("PAR1 content");
            assertThat(object.eTag()).isEqualTo(ref.eTag());
            assertThat(object.size()).isEqualTo(12);
            assertThat(object.key()).isEqualTo("day 1/file+1.parquet");
        }
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void anObjectOverwrittenAfterItsNotificationIsReadAsItIsNowUnderItsNewETag() throws Exception {
        S3ObjectRef first = put(BUCKET, "overwritten.parquet", "first version");
        S3ObjectRef second = put(BUCKET, "overwritten.parquet", "second, longer version");
        try (DownloadedObject object = new S3ObjectDownloader(client).download(first, work)) {
            assertThat(Files.readString(object.file())).isEqualTo("second, longer version");
            assertThat(object.eTag()).isEqualTo(second.eTag()).isNotEqualTo(first.eTag());
        }
    }

    @Test
    void aDeletedObjectOrUnknownBucketIsMissingNotTransient() {
        S3ObjectRef deleted = put(BUCKET, "deleted.parquet", "soon gone");
        client.deleteObject(r -> r.bucket(BUCKET).key("deleted.parquet"));
        assertThatThrownBy(() -> new S3ObjectDownloader(client).download(deleted, work))
                .isInstanceOf(MissingObjectException.class)
                .hasMessage("s3://playtime-datasets/deleted.parquet no longer exists");

        S3ObjectRef elsewhere = new S3ObjectRef("no-such-bucket", "x.parquet", 1, deleted.eTag(), Instant.now(),
                "ObjectCreated:Put", java.util.Optional.empty(), java.util.Optional.empty());
        assertThatThrownBy(() -> new S3ObjectDownloader(client).download(elsewhere, work))
                .isInstanceOf(MissingObjectException.class).hasMessage("bucket no-such-bucket does not exist");
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void anUnreachableStoreIsATransientFailureForTheEngineToRetry() {
        S3ObjectRef ref = put(BUCKET, "later.parquet", "content");
        s3.stop();
        try {
            assertThatThrownBy(() -> new S3ObjectDownloader(client).download(ref, work))
                    .isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
        } finally {
            s3.start();
        }
        assertThat(work).isEmptyDirectory();
    }

    /** Credentials S3 refuses: the role, not the message, is at fault, so the pipeline fails instead of rejecting. */
    @Test
    void refusedCredentialsAreAPermanentFailureNotARefusalOfTheFile() {
        S3ObjectRef ref = put(BUCKET, "denied.parquet", "content");
        try (S3Client stranger = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                .region(LocalAwsAccount.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "wrong")))
                .build()) {
            assertThatThrownBy(() -> new S3ObjectDownloader(stranger).download(ref, work))
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessageStartingWith("S3 bucket playtime-datasets: SignatureDoesNotMatch (HTTP 403")
                    .hasMessageNotContaining("denied.parquet");
        }
        assertThat(work).isEmptyDirectory();
    }
}
