package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedStack;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice generate PIPELINE} for a pipeline the user wrote (docs/examples/orders.yaml as it is): bodies made from
 * its schema, sent to its queue on the embedded stack, then the pipeline run: every valid body and every duplicate
 * (a new SQS message, so a new row) is a row, every malformed one a reject, exactly as the generator counted them.
 */
class GeneratePipelineTest {

    private static final Path CLICKS = Path.of(System.getProperty("sluice.root"), "docs", "examples", "clicks.yaml");
    private static final Path ORDERS = Path.of(System.getProperty("sluice.root"), "docs", "examples", "orders.yaml");

    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the pipeline runs
    void ordersGetsBodiesFromItsSchemaThatBecomeRowsAndRejectsAsCounted(@TempDir Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack")).queue("orders", 5)
                .start()) {
            Map<String, String> env = new HashMap<>(stack.environment());
            env.put(Keyset.ENV_KEYSET_FILE, LoopbackApi.newKeyset(dir).toString());
            ConfigSource.Loaded config = ConfigSource.read(ORDERS, env);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            try (var credentials = SdkCredentialProperties.set(env.get("AWS_ACCESS_KEY_ID"),
                    env.get("AWS_SECRET_ACCESS_KEY"))) {
                SchemaBodies sent = PipelineTraffic.send(config, "orders", 300, null, 7, 0.1, 0.1,
                        new PrintStream(printed, true, StandardCharsets.UTF_8));
                long valid = sent.count(SchemaBodies.Kind.VALID);
                long duplicates = sent.count(SchemaBodies.Kind.DUPLICATE);
                long malformed = sent.count(SchemaBodies.Kind.MALFORMED);
                // seed 7 gives these counts every time; each is roughly its rate of 300
                assertThat(List.of(valid, duplicates, malformed)).containsExactly(237L, 32L, 31L);
                assertThat(printed.toString(StandardCharsets.UTF_8)).contains("sent 300 bodies (237 valid, 32 "
                        + "duplicates, 31 malformed; seed 7) to queue orders");

                try (RunningPipelines running = RunningPipelines.start(config, List.of("orders"), env,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                     Connection db = DriverManager.getConnection(env.get("SLUICE_POSTGRES_URL"))) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                            assertThat(rows(db, "orders") + rows(db, "orders_errors")).isEqualTo(300));
                    assertThat(rows(db, "orders")).isEqualTo(valid + duplicates);
                    assertThat(rows(db, "orders_errors")).isEqualTo(malformed);
                }
            }
        }
    }

    /**
     * docs/examples/clicks.yaml as it is: the bodies go to its Kinesis stream, every one of them, and a duplicate is
     * the very text of an earlier body (so the pipeline's dedupe step by click_id drops it).
     */
    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the generator sends
    void clicksGetsEveryBodyOnItsStream(@TempDir Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack")).stream("clicks", 2)
                .start();
             var credentials = SdkCredentialProperties.set(stack.environment().get("AWS_ACCESS_KEY_ID"),
                     stack.environment().get("AWS_SECRET_ACCESS_KEY"));
             KinesisClient kinesis = stack.kinesis().orElseThrow().newClient()) {
            ConfigSource.Loaded config = ConfigSource.read(CLICKS, stack.environment());
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            SchemaBodies sent = PipelineTraffic.send(config, "clicks", 120, null, 3, 0.2, 0.1,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));

            List<String> stored = new ArrayList<>();
            for (Shard shard : kinesis.listShards(b -> b.streamName("clicks")).shards()) {
                String iterator = kinesis.getShardIterator(b -> b.streamName("clicks").shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                List<software.amazon.awssdk.services.kinesis.model.Record> records;
                do {
                    String from = iterator;
                    var response = kinesis.getRecords(b -> b.shardIterator(from));
                    records = response.records();
                    records.forEach(r -> stored.add(r.data().asUtf8String()));
                    iterator = response.nextShardIterator();
                } while (!records.isEmpty());
            }
            assertThat(stored).hasSize(120);
            long repeats = stored.size() - stored.stream().filter(body -> body.startsWith("{\"click_id\"")).distinct()
                    .count() - stored.stream().filter(body -> !body.startsWith("{\"click_id\"")).count();
            assertThat(sent.count(SchemaBodies.Kind.DUPLICATE)).isPositive();
            // every valid body has its own click_id, so each extra copy is one duplicate
            assertThat(repeats).as("valid bodies sent again").isEqualTo(sent.count(SchemaBodies.Kind.DUPLICATE));
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("sent 120 bodies (",
                    "; seed 3) to stream clicks");
        }
    }

    @Test
    @SuppressWarnings("try") // with credentials a send would succeed: the error, not a failed call, stops it
    void aPipelineWithoutADeclaredSchemaIsNamedWithWhatIsMissingAndNothingIsSent(@TempDir Path dir)
            throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack")).queue("raw", 5)
                .start(); SqsClient sqs = stack.sqs().newClient();
             var credentials = SdkCredentialProperties.set(stack.environment().get("AWS_ACCESS_KEY_ID"),
                     stack.environment().get("AWS_SECRET_ACCESS_KEY"))) {
            Map<String, String> env = new HashMap<>(stack.environment());
            env.put(Keyset.ENV_KEYSET_FILE, LoopbackApi.newKeyset(dir).toString());
            // a second pipeline that only parses: it stores bodies but declares no fields
            ConfigSource.Loaded config = ConfigSource.read(ORDERS, env, """
                    pipelines:
                      raw:
                        source: {type: sqs, queue: raw}
                        processors: [{id: parse, type: parse_json}]
                        sink: {type: postgres_table, table: raw, key: source_message_id, columns: {order_id: order_id}}
                        errors: {type: postgres_errors, table: raw_errors}
                    """);

            assertThatThrownBy(() -> PipelineTraffic.send(config, "raw", 10, null, 7, 0, 0, System.out))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pipeline raw declares no schema to generate bodies from: after its parse_json"
                            + " processor no schema processor (type: schema, fields: ...) follows; declare one, or"
                            + " send your own messages");
            assertThat(QueueContents.depth(sqs, sqs.getQueueUrl(b -> b.queueName("raw")).queueUrl())).isZero();
        }
    }

    @Test
    void aPipelineNameWithoutCountIsAUsageError() {
        Cli.Result result = Cli.run("generate", "orders");
        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).contains("--count is required with a pipeline: sluice generate orders --count N");
    }

    private static long rows(Connection db, String table) throws SQLException {
        try (ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // not created yet: the pipeline creates its tables as it starts
            }
            throw e;
        }
    }
}
