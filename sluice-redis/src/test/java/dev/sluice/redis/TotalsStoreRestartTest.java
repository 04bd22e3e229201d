package dev.sluice.redis;

import dev.sluice.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Redis going away and coming back, on an embedded server of this test's own (the machine's service is shared and
 * is not ours to stop). The server keeps an append-only file, fsynced on every write, so what was counted before
 * the stop is still there after the restart, as with a production Redis that persists.
 */
class TotalsStoreRestartTest {

    private static final Map<String, Map<String, Long>> FILE_A = Map.of("user_1", Map.of("battle", 10L));
    private static final Map<String, Map<String, Long>> FILE_B =
            Map.of("user_1", Map.of("menu", 3L), "user_2", Map.of("roadside", 4L));

    @TempDir
    Path dataDir;

    private int port;
    private RedisServer server;

    @BeforeEach
    void start() throws Exception {
        port = TestRedis.freePort();
        server = startServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (server.isActive()) {
            server.stop();
        }
    }

    @Test
    void aFileAppliedWhileRedisIsDownFailsAndCountsOnceAfterTheRestart() throws Exception {
        RedisSettings settings = new RedisSettings("redis://127.0.0.1:" + port)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2));
        try (TotalsStore store = UserSecondsLayout.open(settings)) {
            assertThat(UserSecondsLayout.apply(store, "b/a.parquet@1", FILE_A)).isTrue();

            server.stop();
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, "b/b.parquet@1", FILE_B))
                    .isInstanceOf(RedisUnavailableException.class);
            assertThatThrownBy(store::total).isInstanceOf(RedisUnavailableException.class);

            server = startServer();
            // What the engine does: retry the same file until Redis answers; the first answer that comes counts it.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .ignoreException(RedisUnavailableException.class)
                    .until(() -> UserSecondsLayout.apply(store, "b/b.parquet@1", FILE_B));
            assertThat(UserSecondsLayout.apply(store, "b/b.parquet@1", FILE_B)).isFalse();
            assertThat(UserSecondsLayout.apply(store, "b/a.parquet@1", FILE_A)).isFalse();

            assertThat(store.total()).isEqualTo(17);
            assertThat(store.group("user_1")).contains(Map.of("battle", 10L, "menu", 3L, "total", 13L));
            assertThat(store.group("user_2")).contains(Map.of("roadside", 4L, "total", 4L));
        }
    }

    @Test
    void runsTheScriptByItsBodyWhenTheServerDoesNotKnowIt() throws Exception {
        RedisSettings settings = new RedisSettings("redis://127.0.0.1:" + port);
        try (TotalsStore store = UserSecondsLayout.open(settings);
             RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            String sha1 = RedisScript.load("apply-totals").sha1();
            assertThat(redis.scriptExists(sha1, "")).isFalse();

            assertThat(UserSecondsLayout.apply(store, "b/a.parquet@1", FILE_A)).isTrue();
            assertThat(redis.scriptExists(sha1, "")).as("EVAL caches the script under our SHA-1").isTrue();

            redis.scriptFlush();
            assertThat(UserSecondsLayout.apply(store, "b/b.parquet@1", FILE_B)).isTrue();
            redis.scriptFlush();
            assertThat(UserSecondsLayout.apply(store, "b/b.parquet@1", FILE_B)).isFalse();
            assertThat(store.total()).isEqualTo(17);
        }
    }

    private RedisServer startServer() throws IOException {
        RedisServer started = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("dir " + dataDir).setting("save \"\"")
                .setting("appendonly yes").setting("appendfsync always").build();
        started.start();
        return started;
    }
}
