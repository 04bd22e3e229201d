package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.aws.plugin.AwsTestPlugins;
import dev.sluice.aws.plugin.PipelineHarness;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.pipeline.Event;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.LocalAwsAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@code s3_notifications} source plugin built from YAML through the assembler: objects put into the embedded
 * S3 store, their notifications sent to the embedded SQS, a sink that reads them with the shared S3 client.
 */
class S3NotificationsPluginTest {

    private static final String BUCKET = "datasets";

    @TempDir
    static Path storage;
    @TempDir
    Path work;

    private static EmbeddedSqs sqs;
    private static EmbeddedS3 s3;
    private static SqsClient sqsClient;
    private static S3Client s3Client;

    private final PipelineHarness harness = new PipelineHarness();

    @BeforeAll
    static void startServers() {
        sqs = EmbeddedSqs.start();
        s3 = EmbeddedS3.start(storage.resolve("s3"));
        s3.createBucket(BUCKET);
        sqsClient = sqs.newClient();
        s3Client = s3.newClient();
    }

    @AfterAll
    static void stopServers() {
        s3Client.close();
        sqsClient.close();
        s3.close();
        sqs.close();
    }

    @AfterEach
    void closePipelines() throws Exception {
        harness.close();
    }

    /** Pipeline {@code files} reading {@code source} (line 9), into the sink that sizes the objects through S3. */
    private static String files(String source) {
        return """
                aws:
                  region: us-east-1
                  endpoints: {sqs: "%s", s3: "%s"}
                  accessKeyId: %s
                  secretAccessKey: %s
                pipelines:
                  files:
                    source:
                      %s
                    sink: {type: object_sizes}
                    errors: {type: collect}
                    runner: {receivers: 1, batchSize: 1, linger: 0ms, backoff: {initial: 10ms, max: 100ms}}
                """.formatted(sqs.endpoint(), s3.endpoint(), LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, source);
    }

    private static String queue(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aNotifiedObjectArrivesAsAnEventHoldingItsRefAndFilteredOrBrokenNotificationsDoNot() throws Exception {
        String queue = queue("files");
        String queueUrl = sqs.createQueueWithDeadLetterQueue(queue, 3).queueUrl();
        Path file = Files.writeString(work.resolve("day-1.parquet"), "twelve bytes");
        NotifyingUploader uploader = new NotifyingUploader(s3Client, sqsClient, queueUrl, "us-east-1",
                Clock.systemUTC());
        S3ObjectRef wanted = uploader.upload(file, BUCKET, "datasets/2026/day 1.parquet");
        uploader.upload(file, BUCKET, "datasets/2026/day-1.csv");
        uploader.upload(file, BUCKET, "elsewhere/day-1.parquet");
        String broken = sqsClient.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"Records\": 3}")).messageId();

        harness.start(files("{type: s3_notifications, queue: " + queue + ", waitTime: 1s, keyPrefix: datasets/}"),
                "files");

        await().atMost(Duration.ofSeconds(30)).until(() -> SqsSource.approximateDepth(sqsClient, queueUrl) == 0);
        assertThat(AwsTestPlugins.WRITTEN.get("files")).singleElement().satisfies((Event event) ->
                assertThat((List<?>) event.record().values().get(S3NotificationsPlugin.OBJECTS)).singleElement()
                        .isInstanceOfSatisfying(S3ObjectRef.class, ref -> {
                            assertThat(ref.coordinates()).isEqualTo(wanted.coordinates());
                            assertThat(ref.size()).isEqualTo(12);
                        }));
        assertThat(AwsTestPlugins.OBJECT_SIZES).containsOnly(Map.entry(BUCKET + "/datasets/2026/day 1.parquet", 12L));
        assertThat(AwsTestPlugins.REJECTED.get("files")).singleElement().satisfies((Rejected reject) -> {
            assertThat(reject.source().coordinates().naturalKey()).isEqualTo(broken);
            assertThat(reject.reason()).isEqualTo("Records: expected an array, got a number");
            assertThat(reject.source().body()).as("kept as it came").isEqualTo("{\"Records\": 3}");
        });
    }

    @Test
    void aQueueWithoutDeadLetterQueueIsRefusedByDefault() {
        String queue = queue("no-dlq");
        sqsClient.createQueue(r -> r.queueName(queue));

        assertThatThrownBy(() -> harness.assemble(files("{type: s3_notifications, queue: " + queue + "}"), "files"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pipelines.files.source: SQS queue " + queue + " has no dead-letter queue");
    }

    @Test
    void aQueueWithoutDeadLetterQueueStartsWhenNoneIsRequired() {
        String queue = queue("no-dlq");
        sqsClient.createQueue(r -> r.queueName(queue));

        harness.assemble(files("{type: s3_notifications, queue: " + queue + ", requireDeadLetterQueue: false}"),
                "files");

        assertThat(harness.resources().probes()).containsOnlyKeys("sqs:" + queue);
    }

    @Test
    void aBlankBucketIsAnErrorAtItsLineAndKey() {
        assertThatThrownBy(() -> harness.definitions(files("{type: s3_notifications, queue: q, buckets: [\"\"]}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:9:42: pipelines.files.source.buckets: buckets must hold bucket names, found a"
                        + " blank or null entry");
    }

    @Test
    void anSqsAndAnS3NotificationsPipelineOnOneQueueAreRefused() {
        String yaml = files("{type: s3_notifications, queue: shared}") + """
                  copies:
                    source: {type: sqs, queue: shared}
                    sink: {type: object_sizes}
                    errors: {type: collect}
                """;
        assertThatThrownBy(() -> harness.definitions(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:14:5: pipelines.copies.source: pipelines files and copies both"
                        + " read SQS queue shared;");
    }
}
