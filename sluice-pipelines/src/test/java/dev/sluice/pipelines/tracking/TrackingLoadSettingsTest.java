package dev.sluice.pipelines.tracking;

import dev.sluice.postgres.SqlIdentifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackingLoadSettingsTest {

    @Test
    void everyFieldHasADefault() {
        TrackingLoadSettings defaults = TrackingLoadSettings.DEFAULTS;

        assertThat(defaults.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.firstRun()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.events()).isEqualTo("events");
        assertThat(defaults.ledger()).isEqualTo("tracking_loaded_files");
        assertThat(defaults.loadErrors()).isEqualTo("tracking_load_errors");
        assertThat(defaults.maxLineBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void aTableNameThatIsNotAPlainIdentifierIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> new TrackingLoadSettings(null, null, "events; drop table x", null, null, null,
                null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SqlIdentifier.RULE);
        assertThatThrownBy(() -> new TrackingLoadSettings(null, null, null, "analytics.ledger", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SqlIdentifier.RULE);
    }

    @Test
    void timesAndSizesOutOfRangeAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new TrackingLoadSettings(Duration.ZERO, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("interval must be positive");
        assertThatThrownBy(() -> new TrackingLoadSettings(null, Duration.ofSeconds(-1), null, null, null, null,
                null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("firstRun must not be negative");
        assertThatThrownBy(() -> new TrackingLoadSettings(null, null, null, null, null, 100, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxLineBytes must be at least");
        assertThatThrownBy(() -> new TrackingLoadSettings(null, null, null, null, null, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxRunTime must be positive");
    }
}
