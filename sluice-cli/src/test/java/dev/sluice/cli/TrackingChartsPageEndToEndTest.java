package dev.sluice.cli;

import dev.sluice.aws.AwsEndpoints;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutes;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutesSettings;
import dev.sluice.pipelines.dailycounts.S3DailyCountsReports;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.pipelines.dailycounts.DailyCountChart;
import dev.sluice.pipelines.dailycounts.DailyCounts;
import dev.sluice.pipelines.dailycounts.DailyCountsJson;
import dev.sluice.server.DashboardRoutes;
import dev.sluice.server.PanelsApi;
import dev.sluice.server.PluginRoutes;
import dev.sluice.server.testing.TestChromium;
import dev.sluice.server.testing.ChartsPage;
import dev.sluice.server.testing.ChartsPage.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tracking charts end to end in headless Chromium: events in the warehouse on embedded PostgreSQL, drawn by
 * {@code sluice charts tracking} into s3proxy, served by the read API from the bucket, shown on the charts page of the
 * pipeline ({@code /charts?pipeline=tracking}), which finds the routes through the panel the routes plugin lists.
 */
class TrackingChartsPageEndToEndTest {

    private static final Duration PAGE = Duration.ofSeconds(30);
    /** Events inserted per report event: spaced so they all fall within the charts' 30 days. */
    private static final Map<String, Integer> INSERTED = Map.of("submission_success", 40, "registration_initiated", 25);

    @Test
    void thePageShowsTheChartsTheCommandDrewAndTheNumbersOfTheApi(@TempDir Path dir) throws Exception {
        ApiToken token = ApiToken.generate();
        try (TestChromium browser = TestChromium.start(); // first: without Chromium nothing else needs to start
             EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"));
             TestDatabase warehouse = TestDatabases.embedded()) {
            s3.createBucket(ConfigSource.TRACKING_BUCKET);
            URI nothing = URI.create("http://127.0.0.1:" + TestConfigs.closedPort());
            Path config = TestConfigs.write(dir.resolve("sluice.yaml"), new AwsEndpoints(nothing, s3.endpoint()),
                    warehouse.jdbcUrl(), "unused-queue", dir.resolve("unused-keyset.json"));
            ConfigSource.Loaded loaded = ConfigSource.read(config, Map.of());
            // The load job creates the tables (nothing to load yet), as the schedule's first run would.
            Cli.Result migrated = Cli.run("load", "tracking", "--config", config.toString());
            assertThat(migrated.exitCode()).as("%s", migrated).isZero();
            try (PostgresDatabase db = new PostgresDatabase(loaded.wired().postgres())) {
                insertEvents(db);
            }
            ConfigNode routes = loaded.definitions().definition("tracking").at("routes").elements().getFirst();
            DailyCountsRoutesSettings charts = routes.without("type", "id").bind(DailyCountsRoutesSettings.class);

            Cli.Result drawn = Cli.run("charts", "tracking", "--config", config.toString());
            assertThat(drawn.exitCode()).as("%s", drawn).isZero();

            try (S3Client client = s3.newClient();
                 ApiServer server = ApiServer.builder().token(token).routes(new DashboardRoutes())
                         .routes(new PluginRoutes(new DailyCountsRoutes(
                                 new S3DailyCountsReports(client, charts, Clock.systemUTC()), "tracking")
                                 .routes(charts.path())))
                         .routes(new PanelsApi(() -> Map.of("tracking",
                                 List.of(DailyCountsRoutes.panel(charts.path())))))
                         .start()) {
                ChartsPage page = new ChartsPage(browser.driver(), server.url()).open("tracking");
                page.login().signIn(token.value());

                await().atMost(PAGE).untilAsserted(() -> {
                    for (String event : INSERTED.keySet()) {
                        ChartsPage.Report report = page.reportOf(event);
                        assertThat(report.chartWidth()).as(event).isEqualTo(DailyCountChart.DEFAULT_WIDTH);
                        assertThat(report.rows()).as(event).isEqualTo(rowsOfTheApi(server, token, event));
                    }
                });
                for (String event : INSERTED.keySet()) {
                    assertThat(page.reportOf(event).rows().stream().mapToLong(Row::total).sum())
                            .as("every inserted %s is on the page", event).isEqualTo(INSERTED.get(event).longValue());
                }
                browser.screenshot(Path.of("target", "screenshots", "tracking-end-to-end.png"));
            }
        }
    }

    /** {@link #INSERTED} events each, hours apart back from now (naive UTC), on android, ios and a web platform. */
    private static void insertEvents(PostgresDatabase db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO events (id, anonymous_id, context_device_type, event, event_text, "timestamp", sent_at,
                                    received_at)
                SELECT gen_random_uuid()::text, gen_random_uuid()::text,
                       (ARRAY['android', 'iOS', 'web'])[1 + i % 3], ?, ?,
                       (now() AT TIME ZONE 'UTC') - i * interval '7 hours',
                       (now() AT TIME ZONE 'UTC') - i * interval '7 hours',
                       (now() AT TIME ZONE 'UTC') - i * interval '7 hours'
                FROM generate_series(0, ? - 1) AS i""")) {
            for (var entry : INSERTED.entrySet()) {
                insert.setString(1, entry.getKey());
                insert.setString(2, entry.getKey());
                insert.setInt(3, entry.getValue());
                insert.executeUpdate();
            }
        }
    }

    /** The rows the page must show: the API's numbers, newest day first, with their sum. */
    private static List<Row> rowsOfTheApi(ApiServer server, ApiToken token, String event) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                            URI.create(server.url() + "/api/tracking/daily?event=" + event))
                    .header("Authorization", "Bearer " + token.value()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            DailyCounts counts = DailyCountsJson.read(response.body());
            return counts.days().reversed().stream().map(d -> new Row(d.day().toString(), d.counts(), d.total()))
                    .toList();
        }
    }
}
