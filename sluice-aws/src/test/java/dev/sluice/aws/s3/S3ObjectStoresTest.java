package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.aws.plugin.AwsTestPlugins;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.files.ObjectStore;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The {@code s3} object store of the {@code files} sink against a real S3 API (the embedded s3proxy): objects put,
 * deleted and refused, and a whole pipeline from the embedded SQS into gzip NDJSON objects read back.
 */
class S3ObjectStoresTest {
    private static final String BUCKET = "archive";

    @TempDir
    static Path storage;
    @TempDir
    Path work;

    private static EmbeddedSqs sqs;
    private static EmbeddedS3 s3;
    private static SqsClient sqsClient;
    private static S3Client s3Client;

    private final List<AutoCloseable> opened = new ArrayList<>();

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
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        AwsTestPlugins.forget();
    }

    @Test
    void aPutStoresTheFileWholeAndADeleteRemovesItTwiceWithoutComplaint() throws Exception {
        ObjectStore store = new S3ObjectStores(s3Client).forBucket(BUCKET);
        Path file = Files.writeString(work.resolve("a.part"), "twelve bytes");
        store.put(file, "direct/a.json.gz", "application/gzip", Map.of("events", "1"));
        assertThat(s3Client.getObjectAsBytes(r -> r.bucket(BUCKET).key("direct/a.json.gz")).asUtf8String())
                .isEqualTo("twelve bytes");
        assertThat(s3Client.headObject(r -> r.bucket(BUCKET).key("direct/a.json.gz")).metadata())
                .containsEntry("events", "1");

        store.delete("direct/a.json.gz");
        store.delete("direct/a.json.gz");
        assertThat(keys("direct/")).isEmpty();
    }

    @Test
    void aMissingBucketIsAPermanentFailureNamingTheBucketNeverTheKey() throws Exception {
        ObjectStore store = new S3ObjectStores(s3Client).forBucket("no-such-bucket");
        Path file = Files.writeString(work.resolve("a.part"), "x");
        assertThatThrownBy(() -> store.put(file, "secret-key/a.json.gz", "application/gzip", Map.of()))
                .isInstanceOf(PermanentFailureException.class)
                .hasMessageStartingWith("S3 bucket no-such-bucket: NoSuchBucket (HTTP 404")
                .message().doesNotContain("secret-key");
    }

    @Test
    void aPipelineFromSqsStoresGzipNdjsonObjectsNamedByTheirFirstMessageAndDeletesTheMessagesAfterwards()
            throws Exception {
        String queue = "archive-" + UUID.randomUUID().toString().substring(0, 8);
        String queueUrl = sqs.createQueueWithDeadLetterQueue(queue, 5).queueUrl();
        List<String> bodies = List.of("{\"id\":\"1\",\"type\":\"view\"}", "{\"id\": \"2\", \"type\":\"click\"}",
                "{\"id\":\"3\",\"type\":\"view\"}", "{\"id\":\"4\"}", "{\"id\":\"5\",\"type\":\"view\"}");
        List<String> ids = new ArrayList<>();
        for (String body : bodies) {
            ids.add(sqsClient.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)).messageId());
        }

        opened.add(FilesPipelines.start(FilesPipelines.aws(sqs.endpoint(), s3.endpoint()) + """
                pipelines:
                  archive:
                    source: {type: sqs, queue: %s, waitTime: 1s}
                    processors:
                      - {type: parse_json}
                    sink:
                      type: files
                      bucket: %s
                      prefix: raw/%s/
                      format: raw_ndjson_gzip
                      partition: "type={type}"
                      roll: {maxEvents: 2, maxAge: 1s}
                      workDirectory: "%s"
                    errors: {type: collect}
                    runner: {receivers: 1, batchSize: 10, linger: 10ms, backoff: {initial: 10ms, max: 100ms}}
                """.formatted(queue, BUCKET, queue, work), "archive"));

        await().atMost(Duration.ofSeconds(60)).until(() -> SqsSource.approximateDepth(sqsClient, queueUrl) == 0);
        List<String> keys = keys("raw/" + queue + "/");
        List<String> lines = new ArrayList<>();
        for (String key : keys) {
            String name = key.substring(key.lastIndexOf('/') + 1);
            assertThat(ids).as("named by a message id and receive count").contains(name.substring(0,
                    name.length() - "-1.json.gz".length()));
            assertThat(name).endsWith("-1.json.gz");
            lines.addAll(gunzippedLines(key));
        }
        assertThat(keys).allSatisfy(key -> assertThat(key).matches("raw/" + queue
                + "/type=(view|click|__missing__)/[^/]+-1\\.json\\.gz"));
        assertThat(lines).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(gunzippedLines("raw/" + queue + "/type=__missing__/" + ids.get(3) + "-1.json.gz"))
                .containsExactly("{\"id\":\"4\"}");
        assertThat(work).isEmptyDirectory();
    }

    private List<String> keys(String prefix) {
        return FilesPipelines.keys(s3Client, BUCKET, prefix);
    }

    private List<String> gunzippedLines(String key) throws IOException {
        return FilesPipelines.lines(s3Client, BUCKET, key);
    }
}
