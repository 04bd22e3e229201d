package dev.sluice.redis;

import dev.sluice.redis.testing.TestRedis;
import dev.sluice.redis.testing.TestRedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code redis.user}: the store logs in as an ACL user of the machine's Redis 7, made for the test (allowed only the
 * keys under its prefix) and deleted after it.
 */
class RedisAclUserTest {

    @Test
    void theStoreWorksAsAnAclUserLimitedToItsPrefix() throws Exception {
        String user = "sluice-test-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        try (TestRedisServer server = TestRedis.service(); RedisClient admin = server.client()) {
            RedisSettings settings = server.settings();
            admin.sendCommand(Protocol.Command.ACL, "SETUSER", user, "on", ">" + password,
                    "~" + settings.keyPrefix() + "*", "+@all");
            try {
                try (TotalsStore store = PlaytimeLayout.open(settings.withUser(user, password))) {
                    assertThat(PlaytimeLayout.apply(store, "datasets/a.parquet@1", Map.of("u1", Map.of("play", 5L))))
                            .isTrue();
                    assertThat(store.total()).isEqualTo(5);
                }
                // It really was that user: a key outside the prefix is refused to it.
                try (RedisClient asUser = RedisClient.builder().hostAndPort(settings.host(), settings.port())
                        .clientConfig(DefaultJedisClientConfig.builder().user(user).password(password).build())
                        .build()) {
                    assertThatThrownBy(() -> asUser.set("elsewhere:" + user, "x")).hasMessageContaining("NOPERM");
                }
                // A wrong password: refused, the password in no message, and the count made before still there.
                String wrong = "wrong-" + password;
                try (TotalsStore store = PlaytimeLayout.open(settings.withUser(user, wrong))) {
                    assertThatThrownBy(store::ping)
                            .satisfies(e -> assertThat(chain(e)).contains("WRONGPASS")
                                    .doesNotContain(wrong).doesNotContain(password));
                }
                try (TotalsStore store = PlaytimeLayout.open(settings.withUser(user, password))) {
                    assertThat(store.total()).isEqualTo(5);
                    assertThat(store.isApplied("datasets/a.parquet@1")).isTrue();
                }
            } finally {
                admin.sendCommand(Protocol.Command.ACL, "DELUSER", user);
            }
        }
    }

    /** Every message of a throwable and its causes. */
    static String chain(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
