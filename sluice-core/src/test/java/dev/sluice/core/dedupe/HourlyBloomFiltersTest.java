package dev.sluice.core.dedupe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HourlyBloomFiltersTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:30:00Z");
    private static final int PER_HOUR = 2_000;

    /**
     * Every hour of the horizon full: a new key is probed against all of them, and the configured rate is the share
     * of new keys looked up in the database over all of them together, not per hour (24 hours at 1 % each would
     * send about a fifth of all new events to the database).
     */
    @Test
    void theConfiguredRateHoldsOverAllTheHoursTogetherAndNoAddedKeyIsMissed() {
        HourlyBloomFilters filters = new HourlyBloomFilters(Duration.ofHours(24), PER_HOUR, 0.01);
        Instant from = filters.coverFrom(NOW.minus(Duration.ofHours(24)));
        int hours = 0;
        for (Instant hour = from; hour.isBefore(NOW.plus(Duration.ofHours(2))); hour = hour.plus(1, ChronoUnit.HOURS)) {
            for (int i = 0; i < PER_HOUR; i++) {
                filters.add(new SeenEvent(hour + "/" + i, hour.plusSeconds(i)), NOW);
            }
            hours++;
        }
        assertThat(hours).as("filters in the window").isEqualTo(27);

        int falsePositives = 0;
        int probes = 100_000;
        for (int i = 0; i < probes; i++) {
            if (filters.mightContain("never-added-" + i)) {
                falsePositives++;
            }
        }
        assertThat((double) falsePositives / probes).isLessThan(0.015);
        assertThat(filters.mightContain(from + "/0")).isTrue();
        assertThat(filters.mightContain(NOW.truncatedTo(ChronoUnit.HOURS) + "/" + (PER_HOUR - 1))).isTrue();
    }
}
