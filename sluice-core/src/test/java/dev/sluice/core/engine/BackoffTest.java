package dev.sluice.core.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void delaysGrowExponentiallyWithinHalfAndAllOfTheCeiling() {
        for (int attempt = 0; attempt < 6; attempt++) {
            long ceiling = 100L << attempt;
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delay(attempt).toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void delaysAreCappedEvenAfterManyAttempts() {
        for (int attempt : new int[]{10, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(backoff.delay(attempt)).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
        }
    }

    @Test
    void delaysAreJittered() {
        var seen = new java.util.HashSet<Long>();
        for (int i = 0; i < 50; i++) {
            seen.add(backoff.delay(3).toMillis());
        }
        assertThat(seen.size()).isGreaterThan(10);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("initial must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("must not be below initial");
    }
}
