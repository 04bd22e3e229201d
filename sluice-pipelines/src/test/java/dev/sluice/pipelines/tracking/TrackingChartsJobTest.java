package dev.sluice.pipelines.tracking;

import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.PluginRoutes;
import dev.sluice.pipelines.dailycounts.DailyCountChart;
import dev.sluice.pipelines.dailycounts.DailyCounts;
import dev.sluice.pipelines.dailycounts.DailyCountsJob;
import dev.sluice.pipelines.dailycounts.DailyCountsJson;
import dev.sluice.pipelines.dailycounts.DailyCountsReport;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutes;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutesSettings;
import dev.sluice.pipelines.dailycounts.DailyCountsSettings;
import dev.sluice.pipelines.dailycounts.PlatformDays;
import dev.sluice.pipelines.dailycounts.S3DailyCountsReports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The charts job end to end on s3proxy and each Postgres: rows inserted into the migrated {@code events} table, the
 * charts and numbers in the bucket, and the read API over them.
 */
@OnEachPostgres
class TrackingChartsJobTest {

    private static final Instant NOW = Instant.parse("2026-11-22T18:30:00Z");
    private static final List<String> EVENTS = List.of("submission_success", "registration_initiated", "never_sent");

    @Parameter
    TestDatabase database;
    private TestDatabase fresh;
    private PostgresDatabase db;
    private final S3Client s3 = TrackingLoadHarness.S3.newClient();
    private final String bucket = "charts-" + UUID.randomUUID().toString().substring(0, 8);
    /** The shipped charts job, on this test's bucket and with one more event that is never sent. */
    private final DailyCountsSettings settings = TrackingJobs.charts("bucket: " + bucket
            + ", events: [" + String.join(", ", EVENTS) + "]");
    private final Duration readCache = TrackingJobs.routes().readCache();
    private final List<Row> rows = new ArrayList<>();

    /** One inserted event: what the counts depend on. */
    private record Row(String event, String deviceType, LocalDateTime timestamp) {
    }

    @BeforeEach
    void open() {
        fresh = database.another();
        db = new PostgresDatabase(fresh.settings());
        TrackingJobs.migrate(db, TrackingJobs.load("bucket: " + bucket));
        TrackingLoadHarness.S3.createBucket(bucket);
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
        fresh.close();
        s3.close();
    }

    @Test
    void drawsEachReportEventsDailyCountsPerPlatformInUtcDays() throws Exception {
        LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        // Either side of midnight UTC: two different days.
        insert("submission_success", "web", today.minusDays(2).atTime(23, 30));
        insert("submission_success", "web", today.minusDays(1).atTime(0, 30));
        String[] devices = {"android", "ios", "iOS", "ANDROID", "Android"};
        for (int i = 0; i < 60; i++) {
            LocalDateTime at = today.minusDays(i % 12).atTime(i % 24, (i * 7) % 60, (i * 13) % 60);
            insert(i % 3 == 0 ? "registration_initiated" : "submission_success", devices[i % devices.length], at);
        }
        insert("another_event", "android", today.atTime(1, 0));
        insert("submission_success", "ios", today.minusDays(30).atTime(12, 0)); // one day before the window
        insert("submission_success", "ios", today.plusDays(1).atTime(0, 0, 1)); // tomorrow: after it

        List<String> keys = job(NOW).drawAll();

        List<String> expectedKeys = new ArrayList<>();
        for (String event : EVENTS) {
            expectedKeys.add("tracking-reports/" + event + "/20261122-183000.png");
            expectedKeys.add("tracking-reports/" + event + "/20261122-183000.json");
        }
        assertThat(keys).containsExactlyElementsOf(expectedKeys);
        assertThat(s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key))
                .containsExactlyInAnyOrderElementsOf(expectedKeys);
        for (String event : EVENTS) {
            String stem = "tracking-reports/" + event + "/20261122-183000";
            DailyCounts stored = DailyCountsJson.read(object(stem + ".json"));
            assertThat(stored).as(event).isEqualTo(expected(event, today.minusDays(29), today));
            BufferedImage chart = ImageIO.read(new ByteArrayInputStream(object(stem + ".png")));
            assertThat(chart.getWidth()).isEqualTo(DailyCountChart.DEFAULT_WIDTH);
            assertThat(chart.getHeight()).isEqualTo(DailyCountChart.DEFAULT_HEIGHT);
        }
        DailyCounts success = DailyCountsJson.read(object("tracking-reports/submission_success/20261122-183000.json"));
        assertThat(day(success, today.minusDays(2)).count("other")).as("23:30 UTC the day before").isEqualTo(1);
        assertThat(day(success, today.minusDays(1)).count("other")).as("00:30 UTC the day after").isEqualTo(1);
        assertThat(success.days()).hasSize(30);
        assertThat(success.days().getLast().day()).isEqualTo(today);
        assertThat(DailyCountsJson.read(object("tracking-reports/never_sent/20261122-183000.json")).days())
                .as("an event without rows: every day zero").hasSize(30)
                .allSatisfy(d -> assertThat(d.total()).isZero());
    }

    @Test
    void anEmptyWarehouseGivesChartsWithoutBars() throws Exception {
        List<String> keys = job(NOW).drawAll();

        assertThat(keys).hasSize(2 * EVENTS.size());
        for (String key : keys) {
            if (key.endsWith(".json")) {
                assertThat(DailyCountsJson.read(object(key)).days()).hasSize(30)
                        .allSatisfy(d -> assertThat(d.total()).isZero());
            } else {
                assertThat(ImageIO.read(new ByteArrayInputStream(object(key))).getWidth())
                        .isEqualTo(DailyCountChart.DEFAULT_WIDTH);
            }
        }
    }

    @Test
    void theReadApiServesTheLatestReportOfEachEvent() throws Exception {
        S3DailyCountsReports reports = reports(Duration.ZERO, Clock.systemUTC());
        assertThat(reports.latest("submission_success")).as("before the first drawing").isEmpty();

        insert("submission_success", "android", LocalDate.ofInstant(NOW, ZoneOffset.UTC).atTime(9, 0));
        job(NOW).drawAll();
        insert("submission_success", "ios", LocalDate.ofInstant(NOW, ZoneOffset.UTC).atTime(10, 0));
        Instant later = NOW.plusSeconds(7_200);
        job(later).drawAll();

        DailyCountsReport latest = reports.latest("submission_success").orElseThrow();
        LocalDate today = LocalDate.ofInstant(later, ZoneOffset.UTC);
        assertThat(latest.counts()).isEqualTo(expected("submission_success", today.minusDays(29), today, later));
        assertThat(latest.png()).isEqualTo(object("tracking-reports/submission_success/20261122-203000.png"));
        assertThat(reports.latest("unknown_event")).isEmpty();

        ApiToken token = ApiToken.generate();
        try (ApiServer server = ApiServer.builder().token(token)
                .routes(new PluginRoutes(new DailyCountsRoutes(reports, "tracking").routes("/api/tracking"))).start()) {
            HttpResponse<String> daily = get(server, "/api/tracking/daily?event=submission_success", token);
            assertThat(daily.statusCode()).isEqualTo(200);
            assertThat(daily.body().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(object("tracking-reports/submission_success/20261122-203000.json"));
            HttpResponse<String> unknown = get(server, "/api/tracking/daily?event=unknown_event", token);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("{\"error\":\"unknown event\"}");
            assertThat(get(server, "/api/tracking/charts/submission_success.png", null).statusCode())
                    .as("no token").isEqualTo(401);
        }
    }

    @Test
    void aReaderKeepsWhatItFoundForItsCacheTimeThenSeesTheNewerReport() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        S3DailyCountsReports reports = reports(readCache, clock);
        job(NOW).drawAll();
        Optional<DailyCountsReport> first = reports.latest("registration_initiated");
        assertThat(first).isPresent();

        insert("registration_initiated", "ios", LocalDate.ofInstant(NOW, ZoneOffset.UTC).atTime(9, 0));
        job(NOW.plusSeconds(60)).drawAll();

        assertThat(reports.latest("registration_initiated")).as("within the cache time").isEqualTo(first);
        clock.now = clock.now.plus(readCache);
        DailyCountsReport second = reports.latest("registration_initiated").orElseThrow();
        assertThat(second.counts().generatedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(day(second.counts(), LocalDate.ofInstant(NOW, ZoneOffset.UTC)).count("ios")).isEqualTo(1);
    }

    @Test
    void objectsInAReportFolderThatAreNoReportsAreSkippedAndBlockNoNewerReport() throws Exception {
        S3DailyCountsReports reports = reports(Duration.ZERO, Clock.systemUTC());
        job(NOW).drawAll();
        DailyCountsReport drawn = reports.latest("submission_success").orElseThrow();
        String folder = "tracking-reports/submission_success/";
        put(folder + "notes.json", "{}");                                  // not a report's name
        put(folder + "20261122-190000.json", "{\"event\":");              // not JSON
        put(folder + "20261122-190500.json", "{\"event\":\"submission_success\"}"); // not the job's JSON
        put(folder + "20261122-191000.json", new String(object(
                "tracking-reports/registration_initiated/20261122-183000.json"), StandardCharsets.UTF_8)); // another event
        put(folder + "20261122-191500.json", new String(object(folder + "20261122-183000.json"),
                StandardCharsets.UTF_8));                                   // no chart beside it

        assertThat(reports.latest("submission_success")).as("the drawn report is still served").contains(drawn);

        insert("submission_success", "android", LocalDate.ofInstant(NOW, ZoneOffset.UTC).atTime(9, 0));
        Instant later = NOW.plusSeconds(7_200);
        job(later).drawAll();
        DailyCountsReport newer = reports.latest("submission_success").orElseThrow();
        assertThat(newer.counts().generatedAt()).isEqualTo(later);
        assertThat(newer.counts().days().getLast().count("android")).isEqualTo(1);
    }

    private void put(String key, String body) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    private DailyCountsJob job(Instant now) {
        return TrackingJobs.chartsJob(settings, s3, db.dataSource(), Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The routes' reader of this bucket's charts, as the tracking pipeline configures it. */
    private S3DailyCountsReports reports(Duration readCache, Clock clock) {
        return new S3DailyCountsReports(s3, new DailyCountsRoutesSettings(bucket, "tracking-reports/", EVENTS, null,
                readCache), clock);
    }

    private void insert(String event, String deviceType, LocalDateTime timestamp) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO events (id, anonymous_id, context_device_type, event, event_text, "timestamp", sent_at,
                                    received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
            insert.setString(2, UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
            insert.setString(3, deviceType);
            insert.setString(4, event);
            insert.setString(5, event);
            insert.setObject(6, timestamp);
            insert.setObject(7, timestamp.plusNanos(500_000));
            insert.setObject(8, timestamp.plusNanos(1_000_000));
            insert.executeUpdate();
        }
        rows.add(new Row(event, deviceType, timestamp));
    }

    /** The counts the inserted rows give for {@code event} over {@code first}..{@code last}. */
    private DailyCounts expected(String event, LocalDate first, LocalDate last) {
        return expected(event, first, last, NOW);
    }

    private DailyCounts expected(String event, LocalDate first, LocalDate last, Instant generatedAt) {
        Map<LocalDate, long[]> byDay = new TreeMap<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            byDay.put(d, new long[3]);
        }
        for (Row row : rows) {
            long[] counts = byDay.get(row.timestamp().toLocalDate());
            if (row.event().equals(event) && counts != null) {
                counts[switch (row.deviceType().toLowerCase(Locale.ROOT)) {
                    case "android" -> 0;
                    case "ios" -> 1;
                    default -> 2;
                }]++;
            }
        }
        List<DailyCounts.Day> days = new ArrayList<>();
        byDay.forEach((d, c) -> days.add(PlatformDays.day(d, c[0], c[1], c[2])));
        return new DailyCounts(event, generatedAt, days);
    }

    private static DailyCounts.Day day(DailyCounts counts, LocalDate day) {
        return counts.days().stream().filter(d -> d.day().equals(day)).findFirst().orElseThrow();
    }

    private byte[] object(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    private static HttpResponse<String> get(ApiServer server, String path, ApiToken token) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token.value());
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("fixed to UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
