package dev.sluice.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisSettingsTest {

    @Test
    void fillsDefaults() {
        RedisSettings settings = new RedisSettings("redis://127.0.0.1:6379");

        assertThat(settings.keyPrefix()).isEqualTo("sluice:playtime:");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.commandTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxConnections()).isEqualTo(8);
        assertThat(settings.password()).isNull();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(6379);
        assertThat(settings.database()).isZero();
        assertThat(settings.tls()).isFalse();
    }

    @Test
    void readsPortDatabaseAndTlsFromTheUrl() {
        RedisSettings settings = new RedisSettings("rediss://cache.internal/3");

        assertThat(settings.host()).isEqualTo("cache.internal");
        assertThat(settings.port()).isEqualTo(6379);
        assertThat(settings.database()).isEqualTo(3);
        assertThat(settings.tls()).isTrue();
    }

    @Test
    void hidesThePassword() {
        RedisSettings settings = new RedisSettings("redis://127.0.0.1:6379").withPassword("s3cret-value");

        assertThat(settings.toString()).contains("password=***").doesNotContain("s3cret-value");
        assertThat(new RedisSettings("redis://127.0.0.1:6379").withPassword("").password()).isNull();
    }

    @Test
    void rejectsBadUrlsNamingTheRule() {
        assertThatThrownBy(() -> new RedisSettings(null)).hasMessage("url is required");
        assertThatThrownBy(() -> new RedisSettings("http://127.0.0.1:6379"))
                .hasMessageStartingWith("url must start with redis:// or rediss://");
        assertThatThrownBy(() -> new RedisSettings("redis:///0")).hasMessageStartingWith("url must name a host");
        assertThatThrownBy(() -> new RedisSettings("redis://127.0.0.1:6379/cache"))
                .hasMessageStartingWith("url path must be a database number");
        assertThatThrownBy(() -> new RedisSettings("redis://127.0.0.1:6379?timeout=1"))
                .hasMessageStartingWith("url must not have a query");
        assertThatThrownBy(() -> new RedisSettings("redis://admin:hunter2@127.0.0.1:6379"))
                .hasMessageStartingWith("url must not carry credentials").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new RedisSettings("redis://hunter2 @host"))
                .hasMessageStartingWith("url must be redis://").hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsKeyPrefixesThatWouldBreakTheLayout() {
        RedisSettings settings = new RedisSettings("redis://127.0.0.1:6379");

        assertThatThrownBy(() -> settings.withKeyPrefix("a{b}:")).hasMessageContaining("keyPrefix must not contain braces");
        assertThatThrownBy(() -> settings.withKeyPrefix("a b:")).hasMessageContaining("keyPrefix must not contain");
        assertThatThrownBy(() -> settings.withKeyPrefix(" ")).hasMessageStartingWith("keyPrefix must be 1 to 200");
        assertThatThrownBy(() -> settings.withKeyPrefix("p".repeat(201)))
                .hasMessageStartingWith("keyPrefix must be 1 to 200");
        assertThat(settings.withKeyPrefix("game-7:").keyPrefix()).isEqualTo("game-7:");
    }

    @Test
    void rejectsTimeoutsAndPoolSizesOutOfRange() {
        RedisSettings settings = new RedisSettings("redis://127.0.0.1:6379");

        assertThatThrownBy(() -> settings.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageStartingWith("connectTimeout must be between 1 ms and");
        assertThatThrownBy(() -> settings.withTimeouts(Duration.ofSeconds(1), Duration.ofDays(30)))
                .hasMessageStartingWith("commandTimeout must be between 1 ms and");
        assertThatThrownBy(() -> new RedisSettings("redis://127.0.0.1", null, null, null, null, 0))
                .hasMessage("maxConnections must be at least 1, got 0");
    }

    @Test
    void anAclUserNeedsAPasswordAndIsShownWithoutIt() {
        RedisSettings settings = new RedisSettings("redis://cache.internal").withUser("sluice", "s3cret-value");

        assertThat(settings.user()).isEqualTo("sluice");
        assertThat(settings.toString()).contains("user=sluice", "password=***").doesNotContain("s3cret-value");
        assertThatThrownBy(() -> new RedisSettings("redis://cache.internal").withUser("sluice", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("user needs a password (AUTH user password)");
        assertThatThrownBy(() -> new RedisSettings("redis://cache.internal").withUser("slu ice", "s3cret-value"))
                .hasMessage("user must be an ACL user name without whitespace");
    }

    @Test
    void tlsComesFromTheSettingOrTheScheme(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        assertThat(new RedisSettings("redis://cache.internal").withTls(null).tls()).isTrue();
        assertThat(new RedisSettings("rediss://cache.internal").tls()).isTrue();
        assertThatThrownBy(() -> new RedisSettings("rediss://cache.internal", null, null, null, null, null, null,
                false, null))
                .hasMessageStartingWith("tls is false but the url starts with rediss://");
        java.nio.file.Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> new RedisSettings("redis://cache.internal", null, null, null, null, null, null,
                null, ca))
                .hasMessage("caCertificate is only for TLS: set tls: true or a rediss:// url");
        assertThatThrownBy(() -> new RedisSettings("redis://cache.internal").withTls(dir.resolve("missing.pem")))
                .hasMessageContaining("missing.pem is not a readable file");
        // A file that is no certificate fails when the store opens, naming the setting.
        assertThatThrownBy(() -> PlaytimeLayout.open(new RedisSettings("rediss://127.0.0.1:1").withTls(ca)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("caCertificate " + ca + " ");
    }

    @Test
    void theNewKeysAreReadFromTheConfiguration() {
        RedisSettings settings = new dev.sluice.core.config.ConfigLoader(Map.of()).load("sluice.yaml",
                "{url: \"redis://cache.internal:6380\", user: sluice, password: pw, tls: true}", RedisSettings.class);

        assertThat(settings.user()).isEqualTo("sluice");
        assertThat(settings.tls()).isTrue();
        assertThat(settings.caCertificate()).isNull();
    }
}
