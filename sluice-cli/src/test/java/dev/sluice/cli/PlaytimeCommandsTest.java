package dev.sluice.cli;

import dev.sluice.aws.AwsEndpoints;
import dev.sluice.aws.s3.S3EventNotificationParser;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.core.engine.Outcome;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.parquet.EventDurationAggregator;
import dev.sluice.parquet.EventDurationFileGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice upload} and {@code sluice generate playtime} against the embedded S3 and SQS: the object lands, and
 * the queue gets exactly the notification S3 would send for it.
 */
class PlaytimeCommandsTest {
    @TempDir
    static Path data;
    @TempDir
    Path dir;

    private static EmbeddedSqs sqs;
    private static EmbeddedS3 s3;
    private static SqsClient sqsClient;
    private static S3Client s3Client;

    private final String queue = "notifications-" + UUID.randomUUID();
    private final String bucket = "datasets-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        s3 = EmbeddedS3.start(data.resolve("s3"));
        sqsClient = sqs.newClient();
        s3Client = s3.newClient();
    }

    @AfterAll
    static void stop() {
        s3Client.close();
        sqsClient.close();
        s3.close();
        sqs.close();
    }

    private Path config() {
        sqs.createQueueWithDeadLetterQueue(queue, 5);
        s3.createBucket(bucket);
        return TestConfigs.write(dir.resolve("sluice.yaml"), new AwsEndpoints(sqs.endpoint(), s3.endpoint()),
                "jdbc:postgresql://127.0.0.1:9/unused", "unused-logins-queue", dir.resolve("unused-keyset.json"));
    }

    @Test
    void uploadStoresTheFileAndPublishesItsNotification() throws Exception {
        Path config = config();
        Path file = Files.writeString(dir.resolve("local name.parquet"), "any bytes");

        Cli.Result result = Cli.run("upload", file.toString(), "--bucket", bucket, "--key", "2026/day 1+2.parquet",
                "--queue", queue, "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        String eTag = s3Client.headObject(r -> r.bucket(bucket).key("2026/day 1+2.parquet")).eTag().replace("\"", "");
        List<S3ObjectRef> notified = notifications(1);
        assertThat(notified).singleElement().satisfies(ref -> {
            assertThat(ref.bucket()).isEqualTo(bucket);
            assertThat(ref.key()).isEqualTo("2026/day 1+2.parquet");
            assertThat(ref.eTag()).isEqualTo(eTag);
            assertThat(ref.size()).isEqualTo(9);
        });
    }

    @Test
    void uploadWithoutNotificationOnlyStores() throws Exception {
        Path config = config();
        Path file = Files.writeString(dir.resolve("quiet.parquet"), "x");

        Cli.Result result = Cli.run("upload", file.toString(), "--bucket", bucket, "--no-notification",
                "--queue", queue, "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(keys()).containsExactly("quiet.parquet");
        assertThat(receive()).isEmpty();
    }

    @Test
    void uploadRefusesAMissingFileAndAnUnknownBucketInOneLine() throws Exception {
        Path config = config();
        Cli.Result missing = Cli.run("upload", dir.resolve("nope.parquet").toString(), "--bucket", bucket,
                "--queue", queue, "--config", config.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errLines()).singleElement().asString()
                .startsWith("sluice: FILE must be a readable regular file").contains("nope.parquet");

        Path file = Files.writeString(dir.resolve("f.parquet"), "x");
        Cli.Result noBucket = Cli.run("upload", file.toString(), "--bucket", "no-such-" + bucket,
                "--queue", queue, "--config", config.toString());
        assertThat(noBucket.exitCode()).isEqualTo(2);
        assertThat(noBucket.errLines()).singleElement().asString()
                .startsWith("sluice: bucket no-such-" + bucket + " does not exist at " + s3.endpoint());
        assertThat(receive()).as("nothing published for a failed upload").isEmpty();
    }

    @Test
    void generatePlaytimeUploadsParquetFilesOfTheAskedShapeAndNotifiesEach() throws Exception {
        Path config = config();

        Cli.Result result = Cli.run("generate", "playtime", "--files", "3", "--rows", "2000", "--users", "4",
                "--seed", "11", "--bucket", bucket, "--queue", queue, "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        List<S3ObjectRef> notified = notifications(3);
        assertThat(notified).extracting(S3ObjectRef::key).containsExactlyInAnyOrderElementsOf(keys());
        long total = 0;
        for (S3ObjectRef ref : notified) {
            assertThat(ref.key()).startsWith("generated/").endsWith(".parquet").contains("-11-");
            Path copy = dir.resolve(UUID.randomUUID() + ".parquet");
            s3Client.getObject(r -> r.bucket(bucket).key(ref.key()), copy);
            var totals = new EventDurationAggregator(EventDurationAggregator.Rules.DEFAULTS).aggregate(copy);
            assertThat(totals.rows()).isEqualTo(2000);
            assertThat(totals.perUser()).containsOnlyKeys("user_1", "user_2", "user_3", "user_4");
            assertThat(totals.perUser().values()).allSatisfy(types ->
                    assertThat(types.keySet()).isSubsetOf(EventDurationFileGenerator.EVENT_TYPES));
            total += totals.total();
        }
        // Durations are 1-10 s, uniform: 6,000 rows average 5.5 s.
        assertThat(total).isBetween(6_000L * 5, 6_000L * 6);
    }

    private List<String> keys() {
        return s3Client.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    private List<Message> receive() {
        String url = sqsClient.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        return sqsClient.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
    }

    @SuppressWarnings("unchecked")
    private List<S3ObjectRef> notifications(int expected) {
        List<S3ObjectRef> refs = new ArrayList<>();
        for (int attempt = 0; attempt < 10 && refs.size() < expected; attempt++) {
            for (Message m : receive()) {
                Outcome<List<S3ObjectRef>> parsed = new S3EventNotificationParser().apply(m.body());
                assertThat(parsed).as(m.body()).isInstanceOf(Outcome.Emit.class);
                refs.addAll(((Outcome.Emit<List<S3ObjectRef>>) parsed).value());
            }
        }
        assertThat(refs).hasSize(expected);
        return refs;
    }
}
