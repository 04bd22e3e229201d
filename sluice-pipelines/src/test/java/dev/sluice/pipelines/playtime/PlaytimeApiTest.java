package dev.sluice.pipelines.playtime;

import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.TotalsRoutes;
import dev.sluice.redis.TotalsRoutesSettings;
import dev.sluice.redis.TotalsStore;
import dev.sluice.server.testing.ApiClient;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.PluginRoutes;
import dev.sluice.redis.testing.OnEachRedis;
import dev.sluice.redis.testing.TestRedisServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped playtime definition's read routes ({@code totals}, configured to keep the playtime API's URLs and
 * documents) on a real server over real Redis (embedded 6.2 and the machine's Redis 7 service).
 */
@OnEachRedis
class PlaytimeApiTest {

    @Parameter
    TestRedisServer redis;

    /** Markers of two counted files. */
    private static final String FILE_1 = TotalsKeys.marker("playtime-datasets", "2026/11/a.parquet", "e1");
    private static final String FILE_2 = TotalsKeys.marker("playtime-datasets", "2026/11/b.parquet", "e2");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiToken token = ApiToken.generate();
    private PlaytimeHarness harness;
    private TotalsStore store;
    private ApiServer server;
    private ApiClient client;

    private void start(Duration maxAge) {
        start(maxAge, TotalsRoutesSettings.DEFAULT_PAGE_SIZE);
    }

    private void start(Duration maxAge, int pageSize) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        harness = new PlaytimeHarness(redis.settings(), null, """
                pipelines:
                  playtime:
                    routes: [{id: api, pageSize: %d, snapshot: {maxAge: %dms, staleLimit: 60s}}]
                """.formatted(pageSize, maxAge.toMillis()), registry);
        store = harness.store;
        server = ApiServer.builder()
                .token(token)
                .metrics(registry)
                .routes(new PluginRoutes(harness.assembled().routes()))
                .start();
        client = new ApiClient(server, token);
    }

    /** Counts a file of {@code deltas} (user → event type → seconds) once, as the sink does. */
    private void apply(String marker, Map<String, Map<String, Long>> deltas) throws Exception {
        Map<String, Map<String, long[]>> amounts = new HashMap<>();
        deltas.forEach((user, types) -> {
            Map<String, long[]> sums = new HashMap<>();
            types.forEach((type, seconds) -> sums.put(type, new long[] {seconds}));
            amounts.put(user, sums);
        });
        store.applyFile(marker, amounts);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void everyPlaytimeRouteNeedsTheToken() throws Exception {
        start(Duration.ofSeconds(1));
        apply(FILE_1, Map.of("user_1", Map.of("battle", 1L)));
        for (String path : List.of("/api/playtime", "/api/playtime/users/user_1", "/api/playtime/failures",
                "/api/playtime/top", "/api/playtime?limit=1")) {
            assertThat(client.get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(client.get(path, "Bearer not-the-token-at-all").statusCode()).as(path).isEqualTo(401);
            assertThat(client.get(path, token.value()).statusCode()).as(path).isEqualTo(401);
            assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void servesEveryUserInNaturalOrderWithTheGlobalTotal() throws Exception {
        start(Duration.ofSeconds(1));
        apply(FILE_1, Map.of(
                "user_10", Map.of("battle", 5L),
                "user_2", Map.of("menu", 7L, "battle", 3L),
                "user_1", Map.of("roadside", 1857L, "battle", 1933L, "menu", 1787L)));

        HttpResponse<String> playtime = client.get("/api/playtime");

        assertThat(playtime.statusCode()).isEqualTo(200);
        assertThat(playtime.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(playtime.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(playtime.headers().firstValue(TotalsRoutes.AGE_HEADER)).isPresent();
        assertThat(playtime.body()).isEqualTo("{\"users\":{"
                + "\"user_1\":{\"battle\":1933,\"menu\":1787,\"roadside\":1857,\"total\":5577},"
                + "\"user_2\":{\"battle\":3,\"menu\":7,\"total\":10},"
                + "\"user_10\":{\"battle\":5,\"total\":5}},"
                + "\"total_playtime\":5592}");
        assertThat(playtime.body().indexOf("\"user_2\"")).isLessThan(playtime.body().indexOf("\"user_10\""));
        assertThat(playtime.headers().firstValueAsLong("Content-Length"))
                .hasValue(playtime.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aLargeDocumentArrivesWholeWithItsLength() throws Exception {
        start(Duration.ofSeconds(1), 5_000);
        Map<String, Map<String, Long>> deltas = new HashMap<>();
        for (int i = 1; i <= 3_000; i++) {
            deltas.put("user_" + i, Map.of("battle", (long) i, "menu", 1L));
        }
        apply(FILE_1, deltas);

        HttpResponse<String> playtime = client.get("/api/playtime");

        byte[] body = playtime.body().getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(100_000);
        assertThat(playtime.headers().firstValueAsLong("Content-Length")).hasValue(body.length);
        assertThat(playtime.body())
                .startsWith("{\"users\":{\"user_1\":{\"battle\":1,\"menu\":1,\"total\":2},\"user_2\":")
                .endsWith("\"user_3000\":{\"battle\":3000,\"menu\":1,\"total\":3001}},"
                        + "\"total_playtime\":" + (3_000L * 3_001 / 2 + 3_000) + "}");
    }

    @Test
    void anEmptyStoreServesNoUsersAndZero() throws Exception {
        start(Duration.ofSeconds(1));

        assertThat(client.get("/api/playtime").body()).isEqualTo("{\"users\":{},\"total_playtime\":0}");
    }

    @Test
    void clientsThatAcceptGzipGetTheSameDocumentGzipped() throws Exception {
        start(Duration.ofSeconds(1));
        apply(FILE_1, Map.of("user_1", Map.of("battle", 1L)));
        String plain = client.get("/api/playtime").body();

        HttpResponse<byte[]> gzipped = client.getBytes("/api/playtime", "Accept-Encoding", "gzip, deflate");
        HttpResponse<byte[]> refused = client.getBytes("/api/playtime", "Accept-Encoding", "gzip;q=0, identity");

        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValueAsLong("Content-Length")).hasValue(gzipped.body().length);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain);
        }
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(plain);
    }

    @Test
    void servesOneUser() throws Exception {
        start(Duration.ofSeconds(1));
        apply(FILE_1, Map.of("user_1", Map.of("roadside", 1857L, "battle", 1933L, "menu", 1787L),
                "user 2/ü", Map.of("menu", 4L)));

        HttpResponse<String> user = client.get("/api/playtime/users/user_1");
        HttpResponse<String> encoded = client.get("/api/playtime/users/user%202%2F%C3%BC");

        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(user.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(user.body()).isEqualTo("{\"user\":\"user_1\",\"playtime\":"
                + "{\"battle\":1933,\"menu\":1787,\"roadside\":1857,\"total\":5577}}");
        assertThat(encoded.body()).isEqualTo("{\"user\":\"user 2/ü\",\"playtime\":{\"menu\":4,\"total\":4}}");
    }

    @Test
    void anUnknownUserIs404WithoutTheId() throws Exception {
        start(Duration.ofSeconds(1));
        apply(FILE_1, Map.of("user_1", Map.of("battle", 1L)));

        HttpResponse<String> unknown = client.get("/api/playtime/users/jane.doe%40example.com");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"unknown user\"}");
        assertThat(unknown.body()).doesNotContain("jane");
    }

    @Test
    void anOverlongIdOrOneWithControlCharactersIs400() throws Exception {
        start(Duration.ofSeconds(1));

        HttpResponse<String> overlong = client.get("/api/playtime/users/" + "u".repeat(513));
        HttpResponse<String> control = client.get("/api/playtime/users/user%01");

        assertThat(overlong.statusCode()).isEqualTo(400);
        assertThat(overlong.body()).isEqualTo("{\"error\":\"invalid user id\"}");
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(control.body()).isEqualTo("{\"error\":\"invalid user id\"}");
        assertThat(client.get("/api/playtime/users/" + "u".repeat(512)).statusCode()).isEqualTo(404);
    }

    @Test
    void listsTheFilesThatFailedValidation() throws Exception {
        start(Duration.ofSeconds(1));
        assertThat(client.get("/api/playtime/failures").body()).isEqualTo("[]");
        store.recordFailure("playtime-datasets", "2026/11/bad.parquet", "e9", "column EventDuration is missing",
                Instant.parse("2026-11-01T12:00:00Z"));
        store.recordFailure("playtime-datasets", "2026/11/worse.parquet", "e10", "not a Parquet file",
                Instant.parse("2026-11-01T12:00:01Z"));

        HttpResponse<String> failures = client.get("/api/playtime/failures");

        assertThat(failures.statusCode()).isEqualTo(200);
        assertThat(failures.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(failures.body()).isEqualTo("["
                + "{\"bucket\":\"playtime-datasets\",\"key\":\"2026/11/bad.parquet\",\"etag\":\"e9\","
                + "\"reason\":\"column EventDuration is missing\",\"time\":\"2026-11-01T12:00:00Z\"},"
                + "{\"bucket\":\"playtime-datasets\",\"key\":\"2026/11/worse.parquet\",\"etag\":\"e10\","
                + "\"reason\":\"not a Parquet file\",\"time\":\"2026-11-01T12:00:01Z\"}]");
    }

    @Test
    void aFileCountedAfterAReadShowsUpOnceTheSnapshotIsOlderThanTheMaxAge() throws Exception {
        start(Duration.ofMillis(200));
        apply(FILE_1, Map.of("user_1", Map.of("battle", 10L)));
        assertThat(client.get("/api/playtime").body()).contains("\"total_playtime\":10");

        apply(FILE_2, Map.of("user_1", Map.of("battle", 5L), "user_2", Map.of("menu", 1L)));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(client.get("/api/playtime").body()).isEqualTo("{\"users\":{"
                        + "\"user_1\":{\"battle\":15,\"total\":15},\"user_2\":{\"menu\":1,\"total\":1}},"
                        + "\"total_playtime\":16}"));
        // The per-user route reads Redis itself.
        assertThat(client.get("/api/playtime/users/user_2").statusCode()).isEqualTo(200);
        assertThat(client.get("/api/playtime/users/user_1").body()).contains("\"total\":15");
    }

    @Test
    void metricsShowTheSnapshotReadsAndTheRouteTimings() throws Exception {
        start(Duration.ofSeconds(1));
        client.get("/api/playtime");
        client.get("/api/playtime/users/nobody");

        String metrics = client.get("/metrics").body();

        assertThat(metrics)
                .containsPattern("sluice_totals_snapshot_reads_seconds_count\\{outcome=\"success\",pipeline=\"playtime\"} [1-9]")
                .contains("sluice_totals_snapshot_age_seconds")
                .containsPattern("http_server_requests_seconds_count\\{method=\"GET\",status=\"404\","
                        + "uri=\"/api/playtime/users/\\{id}\"} 1")
                .doesNotContain("nobody");
    }

    @Test
    void pagesOfTwentyThousandUsersAreBoundedAndWalkingThemGivesEveryUserAndTheTotal() throws Exception {
        start(Duration.ofSeconds(1), 500);
        Map<String, Map<String, Long>> deltas = new HashMap<>();
        for (int i = 1; i <= 20_000; i++) {
            deltas.put("user_" + i, Map.of("battle", (long) i));
        }
        apply(FILE_1, deltas);

        Map<String, Long> totals = new HashMap<>();
        long totalPlaytime = -1;
        int pages = 0;
        String path = "/api/playtime";
        while (path != null) {
            HttpResponse<String> page = client.get(path);
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            // SSCAN's COUNT is a hint: a page may end a hash bucket past it, never hold all 20,000.
            assertThat(body.get("users").size()).as("users on page %d", pages).isLessThanOrEqualTo(600);
            body.get("users").properties().forEach(u -> totals.put(u.getKey(), u.getValue().get("total").asLong()));
            totalPlaytime = body.get("total_playtime").asLong();
            pages++;
            path = page.headers().firstValue(TotalsRoutes.NEXT_CURSOR_HEADER)
                    .map(cursor -> "/api/playtime?cursor=" + cursor).orElse(null);
        }

        assertThat(pages).isGreaterThanOrEqualTo(20_000 / 600);
        assertThat(totals).hasSize(20_000);
        assertThat(totals.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(totalPlaytime)
                .isEqualTo(20_000L * 20_001 / 2);
        assertThat(totals.get("user_777")).isEqualTo(777);
    }

    @Test
    void theLeaderboardServesTheLargestTotalsFirstWithTheUserCount() throws Exception {
        start(Duration.ofSeconds(1));
        Map<String, Map<String, Long>> deltas = new HashMap<>();
        for (int i = 1; i <= 30; i++) {
            deltas.put("user_" + i, Map.of("battle", i * 10L, "menu", 1L));
        }
        apply(FILE_1, deltas);

        HttpResponse<String> top = client.get("/api/playtime/top?limit=2");

        assertThat(top.statusCode()).isEqualTo(200);
        assertThat(top.body()).isEqualTo("{\"users\":{"
                + "\"user_30\":{\"battle\":300,\"menu\":1,\"total\":301},"
                + "\"user_29\":{\"battle\":290,\"menu\":1,\"total\":291}},"
                + "\"total_playtime\":" + (4_650 + 30) + ",\"users_count\":30}");
        assertThat(JSON.readTree(client.get("/api/playtime/top").body()).get("users").size())
                .isEqualTo(TotalsRoutes.DEFAULT_TOP);
    }

    @Test
    void failuresArePagedOldestFirst() throws Exception {
        start(Duration.ofSeconds(1), 2);
        for (int i = 0; i < 5; i++) {
            store.recordFailure("playtime-datasets", "bad/" + i + ".parquet", "e" + i, "not a Parquet file",
                    Instant.parse("2026-11-01T12:00:00Z").plusSeconds(i));
        }

        List<String> keys = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String path = "/api/playtime/failures";
        while (path != null) {
            HttpResponse<String> page = client.get(path);
            JsonNode body = JSON.readTree(page.body());
            sizes.add(body.size());
            body.forEach(failure -> keys.add(failure.get("key").asString()));
            path = page.headers().firstValue(TotalsRoutes.NEXT_CURSOR_HEADER)
                    .map(cursor -> "/api/playtime/failures?cursor=" + cursor).orElse(null);
        }

        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(keys).containsExactly("bad/0.parquet", "bad/1.parquet", "bad/2.parquet", "bad/3.parquet",
                "bad/4.parquet");
    }

    @Test
    void aBadLimitOrCursorIs400NamingTheParameterWithoutEchoingIt() throws Exception {
        start(Duration.ofSeconds(1), 100);

        for (String query : List.of("/api/playtime?limit=0", "/api/playtime?limit=101", "/api/playtime?limit=x",
                "/api/playtime/failures?limit=101", "/api/playtime/top?limit=-1")) {
            HttpResponse<String> bad = client.get(query);
            assertThat(bad.statusCode()).as(query).isEqualTo(400);
            assertThat(bad.body()).as(query).isEqualTo("{\"error\":\"limit must be a whole number from 1 to 100\"}");
        }
        for (String query : List.of("/api/playtime?cursor=user_42", "/api/playtime/failures?cursor=user_42")) {
            HttpResponse<String> bad = client.get(query);
            assertThat(bad.statusCode()).as(query).isEqualTo(400);
            assertThat(bad.body()).as(query).isEqualTo("{\"error\":\"cursor must be the Sluice-Next-Cursor of a "
                    + "previous page\"}").doesNotContain("user_42");
        }
    }

    @Test
    void listsTheRejectedNotificationsWithTheirBodiesPaged() throws Exception {
        start(Duration.ofSeconds(1), 1);
        store.recordReject("sqs:playtime-notifications/m1", "malformed JSON", "{\"Records\":[",
                Instant.parse("2026-11-01T12:00:00Z"));
        store.recordReject("sqs:playtime-notifications/m2", "no Records", "{}", Instant.parse("2026-11-01T12:00:01Z"));

        HttpResponse<String> first = client.get("/api/playtime/rejects");
        String cursor = first.headers().firstValue(TotalsRoutes.NEXT_CURSOR_HEADER).orElseThrow();
        HttpResponse<String> second = client.get("/api/playtime/rejects?cursor=" + cursor);

        assertThat(first.body()).isEqualTo("[{\"message\":\"sqs:playtime-notifications/m1\",\"reason\":\"malformed "
                + "JSON\",\"body\":\"{\\\"Records\\\":[\",\"time\":\"2026-11-01T12:00:00Z\"}]");
        assertThat(second.body()).isEqualTo("[{\"message\":\"sqs:playtime-notifications/m2\",\"reason\":\"no "
                + "Records\",\"body\":\"{}\",\"time\":\"2026-11-01T12:00:01Z\"}]");
        assertThat(client.get("/api/playtime/rejects", null).statusCode()).isEqualTo(401);
    }
}
