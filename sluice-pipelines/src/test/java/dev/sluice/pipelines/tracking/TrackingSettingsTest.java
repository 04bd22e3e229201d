package dev.sluice.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.RunnerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrackingSettingsTest {

    @Test
    void defaultsHoldTwoFullFilesInFlight() {
        TrackingSettings settings = TrackingSettings.DEFAULTS;
        assertThat(settings.archive().maxEvents()).isEqualTo(10_000);
        assertThat(settings.archive().maxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(settings.archive().maxAge()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.archive().prefix()).isEqualTo("tracking-raw/");
        assertThat(settings.runner().maxInFlight()).isEqualTo(2 * settings.archive().maxEvents());
        assertThat(settings.source().queue()).isEqualTo("tracking-events");
        assertThat(settings.source().visibilityTimeout()).isGreaterThan(settings.archive().maxAge());
        assertThat(settings.bucket()).isEqualTo("tracking");
    }

    @Test
    void maxInFlightMustExceedMaxEvents() {
        TrackingArchiveSettings archive = new TrackingArchiveSettings(null, 10_000, null, null, null);
        RunnerSettings engineDefaults = RunnerSettings.DEFAULTS;
        assertThatThrownBy(() -> new TrackingSettings(null, null, archive, null, null, engineDefaults))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("runner.maxInFlight (2000) must exceed archive.maxEvents (10000)");
        RunnerSettings equal = new RunnerSettings(null, 10_000, null, null, null, null, null);
        assertThatThrownBy(() -> new TrackingSettings(null, null, archive, null, null, equal))
                .hasMessageStartingWith("runner.maxInFlight (10000) must exceed archive.maxEvents (10000)");
        TrackingArchiveSettings small = new TrackingArchiveSettings(null, 1_999, null, null, null);
        assertThat(new TrackingSettings(null, null, small, null, null, engineDefaults).runner().maxInFlight())
                .isEqualTo(2_000);
    }

    @Test
    void archiveLimitsAreChecked() {
        assertThatThrownBy(() -> new TrackingArchiveSettings(null, 0, null, null, null))
                .hasMessage("maxEvents must be at least 1, was 0");
        assertThatThrownBy(() -> new TrackingArchiveSettings(null, null, 1023L, null, null))
                .hasMessage("maxBytes must be at least 1024 (1 KB), was 1023");
        assertThatThrownBy(() -> new TrackingArchiveSettings(null, null, null, Duration.ZERO, null))
                .hasMessage("maxAge must be positive, was PT0S");
        assertThatThrownBy(() -> new TrackingArchiveSettings(null, null, null, Duration.ofSeconds(-1), null))
                .hasMessage("maxAge must be positive, was PT-1S");
    }

    @Test
    void aPrefixIsEmptyOrAFolder() {
        assertThat(new TrackingArchiveSettings("", null, null, null, null).prefix()).isEmpty();
        assertThat(new TrackingArchiveSettings("a/b/", null, null, null, null).prefix()).isEqualTo("a/b/");
        assertThatThrownBy(() -> new TrackingArchiveSettings("raw", null, null, null, null))
                .hasMessageContaining("prefix must be empty or end with '/'");
        assertThatThrownBy(() -> new TrackingArchiveSettings("/raw/", null, null, null, null))
                .hasMessageContaining("must not start with '/'");
    }
}
