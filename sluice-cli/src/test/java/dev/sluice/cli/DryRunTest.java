package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code sluice run --dry-run} on docs/examples/orders.yaml as it is, on the embedded stack: it prints what each real
 * message would become (records with masked fields as tokens, a reject by its reason and position only), and
 * afterwards every message is visible on the queue again and no table was written.
 */
class DryRunTest {

    private static final Path ORDERS = Path.of(System.getProperty("sluice.root"), "docs", "examples", "orders.yaml");

    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the dry run reads
    void printsWhatEachMessageWouldBecomeAndLeavesQueueAndTablesAsTheyWere(@TempDir Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack")).queue("orders", 5)
                .start(); SqsClient sqs = stack.sqs().newClient();
             var credentials = SdkCredentialProperties.set(stack.environment().get("AWS_ACCESS_KEY_ID"),
                     stack.environment().get("AWS_SECRET_ACCESS_KEY"))) {
            Map<String, String> env = new HashMap<>(stack.environment());
            env.put(Keyset.ENV_KEYSET_FILE, LoopbackApi.newKeyset(dir).toString());
            ConfigSource.Loaded config = ConfigSource.read(ORDERS, env);
            String url = sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl();
            SqsBatchSender.send(sqs, url, IntStream.range(0, 3).mapToObj(i -> "{\"order_id\": \"o-" + i
                    + "\", \"email\": \"buyer" + i + "@example.com\", \"card_number\": \"4111111111111111\","
                    + " \"amount\": 12.50, \"currency\": \"EUR\", \"placed_at\": \"2026-12-07T10:15:00Z\"}")
                    .toList());
            SqsBatchSender.send(sqs, url, List.of("{\"order_id\": \"o-bad\", \"email\": \"secret@example.com\","
                    + " \"card_number\": \"4111-1111\", \"amount\": 1, \"currency\": \"EUR\", \"placed_at\":"
                    + " \"2026-12-07T10:15:00Z\"}"));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            DryRun.run(config, "orders", 10, env, new PrintStream(printed, true, StandardCharsets.UTF_8));

            List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines.getFirst()).isEqualTo("4 messages read and released (none acknowledged)");
            assertThat(lines.subList(1, lines.size())).hasSize(4).allMatch(l -> l.startsWith("sqs:orders/"));
            List<String> records = lines.stream().filter(l -> l.contains("  record {")).toList();
            assertThat(records).hasSize(3).allSatisfy(line -> assertThat(line)
                    .contains("\"order_id\":\"o-", "\"currency\":\"EUR\"", "\"amount\":12.50")
                    .doesNotContain("@example.com", "4111111111111111"));
            assertThat(lines).filteredOn(l -> l.contains("  rejected: ")).singleElement().satisfies(line -> {
                assertThat(line).matches("sqs:orders/\\S+#1  rejected: card_number: .*");
                assertThat(line).doesNotContain("secret@example.com", "4111-1111", "o-bad");
            });

            Map<String, String> depth = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            assertThat(depth).as("every message visible again, none deleted")
                    .containsEntry("ApproximateNumberOfMessages", "4")
                    .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
            try (Connection db = DriverManager.getConnection(env.get("SLUICE_POSTGRES_URL"));
                 ResultSet tables = db.createStatement().executeQuery(
                         "SELECT to_regclass('orders') IS NULL AND to_regclass('orders_errors') IS NULL")) {
                tables.next();
                assertThat(tables.getBoolean(1)).as("neither the sink's nor the error sink's table was made").isTrue();
            }
        }
    }

    @Test
    void aDryRunNamesExactlyOnePipeline() {
        Cli.Result result = Cli.run("run", "--dry-run");
        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).contains("--dry-run takes exactly one pipeline");
    }

    @Test
    void pipelinesADryRunCannotLeaveAsTheyWereAreRefusedBeforeAnythingIsRead() {
        Map<String, String> env = Map.of("SLUICE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:9/unused");
        Path clicks = Path.of(System.getProperty("sluice.root"), "docs", "examples", "clicks.yaml");
        ConfigSource.Loaded kinesis = ConfigSource.read(clicks, env);
        assertThatThrownBy(() -> DryRun.run(kinesis, "clicks", 1, env, System.out))
                .hasMessage("pipeline clicks reads a kinesis source; a dry run reads sqs sources only");
        assertThatThrownBy(() -> DryRun.run(kinesis, "click", 1, env, System.out))
                .hasMessageStartingWith("no pipeline named click is defined; defined: ").hasMessageContaining("clicks");

        // no endpoint or credentials here: only a refusal before any client is made gives this message
        ConfigSource.Loaded deduplicated = ConfigSource.read(ORDERS, env,
                "pipelines: {orders: {processors: [{id: seen, type: dedupe, key: order_id, horizon: 1h}]}}");
        assertThatThrownBy(() -> DryRun.run(deduplicated, "orders", 1, env, System.out))
                .hasMessage("pipeline orders has a dedupe processor (seen), which records every key it sees; a dry"
                        + " run would make the real run drop those messages, so it is refused");
    }
}
