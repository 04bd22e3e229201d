package dev.sluice.redis.testing;

import dev.sluice.redis.RedisSettings;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import redis.clients.jedis.RedisClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRedisTest {

    @Test
    void unreachableServiceIsSkippedNamingTheAddress() {
        int closedPort = TestRedis.freePort();
        TestRedisServer server = TestRedis.service("127.0.0.1", closedPort, false);

        assertThatThrownBy(server::url)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void unreachableServiceFailsOnCi() {
        int closedPort = TestRedis.freePort();
        TestRedisServer server = TestRedis.service("127.0.0.1", closedPort, true);

        assertThatThrownBy(server::url)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("CI=true");
    }

    @Test
    void eachSettingsHasItsOwnPrefixAndCloseDeletesOnlyTheirKeys() {
        TestRedisServer server = TestRedis.embedded();
        RedisSettings first = server.settings();
        RedisSettings second = server.settings();
        assertThat(first.keyPrefix()).isNotEqualTo(second.keyPrefix());
        try (RedisClient redis = server.client()) {
            redis.set(first.keyPrefix() + "a", "1");
            redis.set(second.keyPrefix() + "b", "2");
            redis.set("not-a-test-key:" + first.keyPrefix(), "3");

            server.close();

            assertThat(redis.exists(first.keyPrefix() + "a")).isFalse();
            assertThat(redis.exists(second.keyPrefix() + "b")).isFalse();
            assertThat(redis.get("not-a-test-key:" + first.keyPrefix())).isEqualTo("3");
            redis.del("not-a-test-key:" + first.keyPrefix());
        }
    }
}
