package dev.sluice.postgres;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresSettingsTest {

    @Test
    void urlAloneGivesDefaults() {
        PostgresSettings settings = new PostgresSettings("jdbc:postgresql://db:5432/sluice?user=app");

        assertThat(settings.maxPoolSize()).isEqualTo(4);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.username()).isNull();
        assertThat(settings.password()).isNull();
    }

    @Test
    void missingPoolSizeAndConnectTimeoutMeanDefaults() {
        PostgresSettings settings = new PostgresSettings("jdbc:postgresql://db/sluice", null, null, null, null, null,
                null, null, null, null);

        assertThat(settings.maxPoolSize()).isEqualTo(PostgresSettings.DEFAULT_MAX_POOL_SIZE);
        assertThat(settings.connectTimeout()).isEqualTo(PostgresSettings.DEFAULT_CONNECT_TIMEOUT);
        assertThat(settings.socketTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.lockTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.jobPoolSize()).isEqualTo(7);
        assertThat(settings.jobStatementTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.jobSocketTimeout()).isEqualTo(Duration.ofMinutes(30).plusSeconds(30));
    }

    @Test
    void theSocketTimeoutMustOutlastTheStatementTimeoutAndTheLockTimeoutFitInIt() {
        PostgresSettings settings = new PostgresSettings("jdbc:postgresql://db/x");
        assertThatThrownBy(() -> settings.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("socketTimeout (PT30S) must be longer than statementTimeout (PT30S)");
        assertThatThrownBy(() -> settings.withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofSeconds(6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lockTimeout (PT6S) must be at most statementTimeout (PT5S)");
        assertThatThrownBy(() -> settings.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(100),
                Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("socketTimeout must be at least PT1S, got PT0.5S");
        assertThatThrownBy(() -> settings.withJobs(5, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobStatementTimeout (PT10S) must be at least statementTimeout (PT30S)");
        assertThatThrownBy(() -> settings.withJobs(0, Duration.ofMinutes(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobPoolSize must be at least 1, got 0");
    }

    @Test
    void toStringHidesPasswordFieldAndUrlParameter() {
        PostgresSettings settings = new PostgresSettings("jdbc:postgresql://db/sluice?user=app&password=hunter2&ssl=true")
                .withCredentials("app", "s3cret");

        assertThat(settings.toString())
                .doesNotContain("s3cret", "hunter2")
                .contains("password=***", "username=app", "ssl=true");
    }

    @Test
    void aPasswordInTheUrlsUserInfoIsHiddenToo() {
        assertThat(new PostgresSettings("jdbc:postgresql://app:hunter2@db:5432/sluice").redactedUrl())
                .isEqualTo("jdbc:postgresql://app:***@db:5432/sluice");
        assertThatThrownBy(() -> new PostgresSettings("postgresql://app:hunter2@db/sluice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void urlIsRequiredAndMustBePostgres() {
        assertThatThrownBy(() -> new PostgresSettings(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("url is required: jdbc:postgresql://host:port/database");
        assertThatThrownBy(() -> new PostgresSettings("jdbc:mysql://db/x?password=hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url must start with jdbc:postgresql:")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void poolNeedsAConnection() {
        assertThatThrownBy(() -> new PostgresSettings("jdbc:postgresql://db/x").withMaxPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPoolSize must be at least 1, got 0");
    }

    @Test
    void connectTimeoutHasAFloor() {
        assertThatThrownBy(() -> new PostgresSettings("jdbc:postgresql://db/x").withConnectTimeout(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be at least 250 ms, got 10 ms");
    }
}
