package dev.sluice.pipelines.playtime;

import dev.sluice.server.testing.ApiClient;
import dev.sluice.local.EmbeddedRedis;
import dev.sluice.redis.TotalsRoutes;
import dev.sluice.redis.TotalsStore;
import dev.sluice.server.testing.ApiClient;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.PluginRoutes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.sluice.redis.RedisSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped playtime definition's read routes with Redis going away under a running API and coming back, on an embedded Redis of this test's own (the machine's
 * service is shared and is not ours to stop). It keeps an append-only file, so the counts survive the restart as
 * with a production Redis that persists.
 */
class PlaytimeApiRedisDownTest {

    private static final Duration MAX_AGE = Duration.ofMillis(200);
    private static final Duration STALE_LIMIT = Duration.ofSeconds(5);
    private static final String SNAPSHOT = "{\"users\":{\"user_1\":{\"battle\":10,\"total\":10}},"
            + "\"total_playtime\":10}";

    @TempDir
    Path dataDir;

    private final ApiToken token = ApiToken.generate();
    private EmbeddedRedis redis;
    private PlaytimeHarness harness;
    private ApiServer server;
    private ApiClient client;

    @BeforeEach
    void start() throws Exception {
        redis = EmbeddedRedis.start(dataDir.resolve("redis"));
        // Short timeouts: a stopped Redis refuses at once, but a test should never wait long on it.
        harness = new PlaytimeHarness(new RedisSettings(redis.url())
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)), null, """
                pipelines:
                  playtime:
                    routes: [{id: api, snapshot: {maxAge: %dms, staleLimit: %ds}}]
                """.formatted(MAX_AGE.toMillis(), STALE_LIMIT.toSeconds()), new SimpleMeterRegistry());
        harness.store.applyFile("playtime-datasets/a.parquet@e1", Map.of("user_1", Map.of("battle", new long[] {10})));
        ApiServer.Builder builder = ApiServer.builder()
                .token(token)
                .routes(new PluginRoutes(harness.assembled().routes()));
        harness.probes().forEach((name, probe) -> builder.readinessCheck(name, probe::check));
        server = builder.start();
        client = new ApiClient(server, token);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        harness.close();
        redis.close();
    }

    @Test
    void readyIs503NamingRedisWhileItIsDownAnd200WhenItIsBack() throws Exception {
        HttpResponse<String> ready = client.get("/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).startsWith("{\"status\":\"UP\",").contains("\"redis:playtime\":{\"status\":\"UP\"}");

        redis.stop();
        // The next probe (results are cached for a second) finds Redis down.
        HttpResponse<String> notReady = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get("/ready", null), response -> response.statusCode() == 503);

        assertThat(notReady.body()).startsWith("{\"status\":\"DOWN\",")
                .contains("\"redis:playtime\":{\"status\":\"DOWN\",\"error\":\"RedisUnavailableException\"}")
                .contains("\"sqs:" + harness.queue + "\":{\"status\":\"UP\"}");
        assertThat(client.get("/health", null).statusCode()).as("alive while not ready").isEqualTo(200);

        redis.start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get("/ready", null).statusCode() == 200);
    }

    @Test
    void servesTheLastSnapshotWithItsAgeWhileRedisIsDownThen503AfterTheStaleLimit() throws Exception {
        assertThat(client.get("/api/playtime").body()).isEqualTo(SNAPSHOT);

        redis.stop();

        // Older than the max age, so a refresh was tried and failed: still the last snapshot, saying how old it is.
        HttpResponse<String> stale = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.get("/api/playtime"), response -> response.statusCode() == 200
                        && ageMillis(response) > MAX_AGE.toMillis());
        assertThat(stale.body()).isEqualTo(SNAPSHOT);
        // Only the cached first page outlives Redis; everything else reads its own page, one user or the leaderboard.
        for (String live : List.of("/api/playtime/users/user_1", "/api/playtime/top", "/api/playtime?limit=5")) {
            HttpResponse<String> down = client.get(live);
            assertThat(down.statusCode()).as(live).isEqualTo(503);
            assertThat(down.body()).as(live).isEqualTo("{\"error\":\"playtime store unavailable\"}");
        }

        HttpResponse<String> unavailable = await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> client.get("/api/playtime"), response -> response.statusCode() != 200);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.body()).isEqualTo("{\"error\":\"playtime store unavailable\"}");
        HttpResponse<String> user = client.get("/api/playtime/users/user_1");
        assertThat(user.statusCode()).isEqualTo(503);
        assertThat(user.body()).isEqualTo("{\"error\":\"playtime store unavailable\"}");
        HttpResponse<String> failures = client.get("/api/playtime/failures");
        assertThat(failures.statusCode()).isEqualTo(503);
        assertThat(failures.body()).isEqualTo("{\"error\":\"playtime store unavailable\"}");

        redis.start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get("/api/playtime").body(), SNAPSHOT::equals);
    }

    private static long ageMillis(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue(TotalsRoutes.AGE_HEADER).orElseThrow());
    }
}
