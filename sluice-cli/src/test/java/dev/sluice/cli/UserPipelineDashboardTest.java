package dev.sluice.cli;

import dev.sluice.aws.s3.NotifyingUploader;
import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.parquet.totals.TotalsFiles;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.testing.DashboardPage;
import dev.sluice.server.testing.DashboardPage.Leaderboard;
import dev.sluice.server.testing.DashboardPage.LeaderboardRow;
import dev.sluice.server.testing.DashboardPage.PipelineCard;
import dev.sluice.server.testing.TestChromium;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pipeline the user wrote (docs/examples/orders.yaml, read from the repository as it is) run by {@code sluice run
 * --config} beside a shipped one: the dashboard shows both, each with its own counts and rejects, and the reject's
 * reason names the field, never the value.
 */
class UserPipelineDashboardTest {

    private static final Path ORDERS = Path.of(System.getProperty("sluice.root"), "docs", "examples", "orders.yaml");
    private static final Path SESSIONS = Path.of(System.getProperty("sluice.root"), "docs", "examples",
            "sessions.yaml");
    private static final Duration PAGE = Duration.ofSeconds(30);

    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the pipelines run
    void theDashboardShowsAUserDefinedPipelineBesideAShippedOne(@TempDir Path dir) throws Exception {
        Path keysetFile = LoopbackApi.newKeyset(dir);
        ApiToken token = ApiToken.generate();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReadApi api = LoopbackApi.create();

        try (TestChromium browser = TestChromium.start();
             EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack"))
                     .queue(ConfigSource.LOGINS_QUEUE, 5).queue("orders", 5).start()) {
            Map<String, String> env = new HashMap<>(stack.environment());
            env.put(Keyset.ENV_KEYSET_FILE, keysetFile.toString());
            // The user's file defines orders; logins is shipped in the jar, so the same file runs both.
            ConfigSource.Loaded config = ConfigSource.read(ORDERS, env);
            assertThat(config.known()).contains("orders", "logins");

            try (var credentials = SdkCredentialProperties.set(env.get("AWS_ACCESS_KEY_ID"),
                         env.get("AWS_SECRET_ACCESS_KEY"));
                 RunningPipelines running = RunningPipelines.start(config, List.of("orders", "logins"), env, registry);
                 ApiServer server = api.start(running, registry, token);
                 SqsClient sqs = stack.sqs().newClient()) {
                String ordersUrl = sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl();
                List<String> orders = IntStream.range(0, 12).mapToObj(i -> "{\"order_id\": \"o-" + i
                        + "\", \"email\": \"buyer" + i + "@example.com\", \"card_number\": \"4111111111111111\","
                        + " \"amount\": 12.50, \"currency\": \"EUR\", \"placed_at\": \"2026-12-07T10:15:00Z\"}")
                        .toList();
                SqsBatchSender.send(sqs, ordersUrl, orders);
                SqsBatchSender.send(sqs, ordersUrl, List.of("{\"order_id\": \"o-bad\", \"email\": "
                        + "\"secret@example.com\", \"card_number\": \"4111-1111\", \"amount\": 1, \"currency\": "
                        + "\"EUR\", \"placed_at\": \"2026-12-07T10:15:00Z\"}"));

                DashboardPage page = new DashboardPage(browser.driver(), server.url()).open();
                page.signIn(token.value());
                await().atMost(PAGE).untilAsserted(() -> {
                    assertThat(page.pipelineNames()).contains("orders", "logins");
                    PipelineCard card = page.card("orders");
                    assertThat(card.state()).isEqualToIgnoringCase("running");
                    assertThat(card.source()).isEqualTo("orders");
                    assertThat(card.count("count-received")).isEqualTo(13);
                    assertThat(card.count("count-written")).isEqualTo(12);
                    assertThat(card.count("count-rejected")).isEqualTo(1);
                    assertThat(card.rejects()).singleElement().satisfies(row -> {
                        assertThat(row.reason()).startsWith("card_number:");
                        assertThat(row.toString()).doesNotContain("4111-1111", "secret@example.com");
                    });
                    assertThat(page.card("logins").count("count-received")).isZero();
                });
                assertThat(page.card("orders").outline()).as("the user's definition, step by step")
                        .containsExactly("sqs", "parse_json (parse)", "schema (validate)", "mask", "postgres_table");
                assertThat(page.card("orders").outlineExtras()).isEqualTo("errors to postgres_errors");
                browser.screenshot(Path.of("target", "screenshots", "dashboard-user-pipeline.png"));
            }
        }
    }

    /**
     * docs/examples/sessions.yaml, read as it is: its {@code totals} routes step contributes a leaderboard, which the
     * dashboard draws with the numbers of the user's own Parquet files, summed by the pipeline, under the member
     * names the routes use; nothing in the server or the page names the pipeline.
     */
    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the pipeline runs
    void aUserPipelineWithARoutesStepGetsItsPanel(@TempDir Path dir) throws Exception {
        ApiToken token = ApiToken.generate();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReadApi api = LoopbackApi.create();

        try (TestChromium browser = TestChromium.start();
             EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack"))
                     .queue("session-files", 5).bucket("sessions").redis().start()) {
            Map<String, String> env = new HashMap<>(stack.environment());
            // The example as it is: it needs no database, so it has no postgres section.
            ConfigSource.Loaded config = ConfigSource.read(SESSIONS, env);

            try (var credentials = SdkCredentialProperties.set(env.get("AWS_ACCESS_KEY_ID"),
                         env.get("AWS_SECRET_ACCESS_KEY"));
                 RunningPipelines running = RunningPipelines.start(config, List.of("sessions"), env, registry);
                 ApiServer server = api.start(running, registry, token);
                 SqsClient sqs = stack.sqs().newClient();
                 S3Client s3 = stack.s3().newClient()) {
                NotifyingUploader uploader = new NotifyingUploader(s3, sqs,
                        sqs.getQueueUrl(b -> b.queueName("session-files")).queueUrl(), LocalAwsAccount.REGION.id(),
                        Clock.systemUTC());
                Map<String, Class<?>> columns = new LinkedHashMap<>();
                columns.put("player", String.class);
                columns.put("game", String.class);
                columns.put("seconds", Long.class);
                uploader.upload(TotalsFiles.write(dir.resolve("day-1.parquet"), columns, 2, List.of(
                        TotalsFiles.row("p1", "chess", 3_600L), TotalsFiles.row("p2", "go", 120L),
                        TotalsFiles.row("p1", "go", 60L))), "sessions", "2026/12/day-1.parquet");
                uploader.upload(TotalsFiles.write(dir.resolve("day-2.parquet"), columns, 2, List.of(
                        TotalsFiles.row("p2", "go", 30L), TotalsFiles.row("p3", "chess", 5L))),
                        "sessions", "2026/12/day-2.parquet");

                DashboardPage page = new DashboardPage(browser.driver(), server.url()).open();
                page.signIn(token.value());
                await().atMost(PAGE).untilAsserted(() -> {
                    Leaderboard leaderboard = page.leaderboard("sessions");
                    assertThat(leaderboard.rows()).containsExactly(new LeaderboardRow("p1", 3_660),
                            new LeaderboardRow("p2", 150), new LeaderboardRow("p3", 5));
                    assertThat(leaderboard.total()).isEqualTo(3_815);
                    assertThat(leaderboard.count()).isEqualTo(3);
                });
                assertThat(page.panels()).containsExactly("sessions/leaderboard");
                assertThat(page.leaderboard("sessions").title()).isEqualTo("sessions · Top players");
                assertThat(page.leaderboard("sessions").column()).isEqualTo("Player");
                assertThat(page.card("sessions").count("count-written")).isEqualTo(2);
                browser.screenshot(Path.of("target", "screenshots", "dashboard-user-panel.png"));
            }
        }
    }
}
