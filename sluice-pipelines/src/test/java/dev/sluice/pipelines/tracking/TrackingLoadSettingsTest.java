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
                null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SqlIdentifier.RULE);
        assertThatThrownBy(() -> new TrackingLoadSettings(null, null, null, "analytics.ledger", null, null, null,
                null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SqlIdentifier.RULE);
    }

    @Test
    void timesAndSizesOutOfRangeAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new TrackingLoadSettings(Duration.ZERO, null, null, null, null, null, null, null,
                null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("interval must be positive");
        assertThatThrownBy(() -> new TrackingLoadSettings(null, Duration.ofSeconds(-1), null, null, null, null,
                null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("firstRun must not be negative");
        assertThatThrownBy(() -> new TrackingLoadSettings(null, null, null, null, null, 100, null, null, null,
                null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxLineBytes must be at least");
        TrackingLoadSettings defaults = TrackingLoadSettings.DEFAULTS;
        assertThatThrownBy(() -> new TrackingLoadSettings(null, null, null, null, null, null, Duration.ZERO, null,
                null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxRunTime must be positive");
        assertThatThrownBy(() -> defaults.withListing(0, Duration.ofHours(1), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTries must be at least 1, got 0");
        assertThatThrownBy(() -> defaults.withListing(3, Duration.ofHours(-1), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("relistWindow must not be");
        assertThatThrownBy(() -> defaults.withListing(3, Duration.ofHours(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("fullListEvery must be positive");
    }
}
