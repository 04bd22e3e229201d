package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.dailycounts.DailyCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackingChartsSettingsTest {

    @Test
    void defaults() {
        TrackingChartsSettings d = TrackingChartsSettings.DEFAULTS;
        assertThat(d.interval()).isEqualTo(Duration.ofHours(2));
        assertThat(d.events()).containsExactly("submission_success", "registration_initiated");
        assertThat(d.prefix()).isEqualTo("tracking-reports/");
        assertThat(d.days()).isEqualTo(30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Submission_Success", "submission-success", "../reports", "a/b", "", "submission success"})
    void anEventThatCannotBeAKeyPartIsRefusedNamingItAndTheRule(String event) {
        assertThatThrownBy(() -> TrackingChartsSettings.of(List.of("submission_success", event)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + event + "'")
                .hasMessageContaining(DailyCounts.EVENT_RULE);
    }

    @Test
    void otherRules() {
        assertThatThrownBy(() -> TrackingChartsSettings.of(List.of()))
                .hasMessageContaining("at least one report event");
        assertThatThrownBy(() -> TrackingChartsSettings.of(List.of("a", "a"))).hasMessageContaining("repeat");
        assertThatThrownBy(() -> new TrackingChartsSettings(Duration.ZERO, null, null, null, null, null, null))
                .hasMessageContaining("interval must be positive");
        assertThatThrownBy(() -> new TrackingChartsSettings(null, null, null, "reports", null, null, null))
                .hasMessageContaining("prefix must be a folder").hasMessageContaining("'reports'");
        assertThatThrownBy(() -> new TrackingChartsSettings(null, null, null, null, 0, null, null))
                .hasMessageContaining("days must be 1 to 366, got 0");
    }
}
