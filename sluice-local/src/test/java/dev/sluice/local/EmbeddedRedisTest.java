package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

class EmbeddedRedisTest {

    @TempDir
    Path directory;

    @Test
    void setAndGetThroughTheUrlOfItsEnvironment() {
        try (EmbeddedRedis redis = EmbeddedRedis.start(directory.resolve("redis"))) {
            String url = redis.environment().get("SLUICE_REDIS_URL");
            assertThat(url).isEqualTo("redis://127.0.0.1:" + redis.port());

            try (RedisClient client = RedisClient.create(URI.create(url))) {
                client.set("user_1:battle", "42");
                assertThat(client.get("user_1:battle")).isEqualTo("42");
                assertThat(client.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", 1, "user_1:battle", "8"))
                        .isEqualTo(50L);
                assertThat(client.info("server")).contains("redis_version:6.2");
            }
            assertThat(redis.describe()).isEqualTo("Redis     " + url + "  data: " + directory.resolve("redis"));
        }
    }

    @Test
    void stopAndStartKeepThePortAndTheData() {
        try (EmbeddedRedis redis = EmbeddedRedis.start(directory.resolve("redis"))) {
            int port = redis.port();
            try (RedisClient client = RedisClient.create(URI.create(redis.url()))) {
                client.set("marker", "bucket/key@etag");
            }

            redis.stop();

            assertThat(redis.isRunning()).isFalse();
            try (RedisClient client = RedisClient.create(URI.create(redis.url()))) {
                assertThatThrownBy(client::ping).isInstanceOf(JedisConnectionException.class);
            }

            redis.start();

            assertThat(redis.port()).isEqualTo(port);
            try (RedisClient client = RedisClient.create(URI.create(redis.url()))) {
                assertThat(client.get("marker")).isEqualTo("bucket/key@etag");
            }
        }
    }

    @Test
    void aClientOpenedBeforeAStopWorksAgainAfterTheStart() {
        try (EmbeddedRedis redis = EmbeddedRedis.start(directory.resolve("redis"));
             RedisClient client = RedisClient.create(URI.create(redis.url()))) {
            client.set("k", "1");

            redis.stop();
            redis.start();

            await().atMost(Duration.ofSeconds(10)).ignoreException(JedisConnectionException.class)
                    .until(() -> "1".equals(client.get("k")));
        }
    }

    @Test
    void dataSurvivesANewServerOnTheSameDirectory() {
        Path data = directory.resolve("redis");
        try (EmbeddedRedis first = EmbeddedRedis.start(data);
             RedisClient client = RedisClient.create(URI.create(first.url()))) {
            client.hset("totals", "user_1", "10");
        }
        try (EmbeddedRedis second = EmbeddedRedis.start(data);
             RedisClient client = RedisClient.create(URI.create(second.url()))) {
            assertThat(client.hget("totals", "user_1")).isEqualTo("10");
        }
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefused() {
        Path data = directory.resolve("redis");
        try (EmbeddedRedis first = EmbeddedRedis.start(data)) {
            assertThatThrownBy(() -> EmbeddedRedis.start(data)).isInstanceOf(AlreadyInUseException.class)
                    .hasMessage("another sluice Redis is using " + data + " (pid " + ProcessHandle.current().pid() + ")");
        }
    }

    @Test
    void redisLeftRunningByAKilledJvmIsStoppedAndItsDataKept() throws Exception {
        Path data = directory.resolve("redis");
        int orphanPort;
        ProcessHandle orphan;
        try (ChildJvm child = ChildJvm.start(RedisHolder.class, data.toString())) {
            String[] ready = child.awaitLine("READY", Duration.ofSeconds(60)).split(" ");
            orphanPort = Integer.parseInt(ready[0]);
            orphan = ProcessHandle.of(Long.parseLong(ready[1])).orElseThrow();

            child.kill();
        }
        assertThat(orphan.isAlive()).as("Redis outlives the SIGKILLed JVM that started it").isTrue();

        try (EmbeddedRedis again = new EmbeddedRedis(data, orphanPort).start();
             RedisClient client = RedisClient.create(URI.create(again.url()))) {
            assertThat(orphan.isAlive()).as("the orphan was stopped").isFalse();
            assertThat(again.port()).isEqualTo(orphanPort);
            assertThat(client.get("written-before-kill")).isEqualTo("7");
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void aPidFileNamingAnUnrelatedLiveProcessDoesNotBlockStart() throws Exception {
        Path data = directory.resolve("redis");
        Files.createDirectories(data);
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(data.resolve(RedisPidFile.FILE_NAME), unrelated.pid() + "\n");

            try (EmbeddedRedis redis = EmbeddedRedis.start(data);
                 RedisClient client = RedisClient.create(URI.create(redis.url()))) {
                assertThat(client.ping()).isEqualTo("PONG");
                assertThat(unrelated.isAlive()).as("the unrelated process is left alone").isTrue();
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void aTakenPortIsOneClearLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> new EmbeddedRedis(directory.resolve("redis"), taken.getLocalPort()).start())
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; Redis cannot start there");
        }
    }
}
