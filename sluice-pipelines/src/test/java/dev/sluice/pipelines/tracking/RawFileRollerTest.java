package dev.sluice.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipelines.tracking.RawFileRoller.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RawFileRollerTest {
    private static final Instant T0 = Instant.parse("2026-11-22T18:00:00Z");
    private static final Duration AGE = Duration.ofSeconds(60);

    @Test
    void anEmptyRollerIsNeverDue() {
        RawFileRoller roller = new RawFileRoller(1, 1, Duration.ofNanos(1));
        assertThat(roller.due(T0)).isEmpty();
        assertThat(roller.due(T0.plus(Duration.ofDays(365)))).isEmpty();
    }

    /** What the roller says after each line of these sizes, all added at T0. */
    private static List<Optional<Reason>> dueAfterEach(RawFileRoller roller, long... lineBytes) {
        List<Optional<Reason>> due = new ArrayList<>();
        for (long bytes : lineBytes) {
            roller.added(bytes, T0);
            due.add(roller.due(T0));
        }
        return due;
    }

    @Test
    void rollsWhenTheCountReachesMaxEventsOrTheUncompressedBytesReachMaxBytes() {
        assertThat(dueAfterEach(new RawFileRoller(3, 1_000_000, AGE), 10, 10, 10))
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of(Reason.COUNT));
        assertThat(dueAfterEach(new RawFileRoller(1_000, 1024, AGE), 1000, 23, 1))
                .containsExactly(Optional.empty(), Optional.empty(), Optional.of(Reason.BYTES));
        assertThat(dueAfterEach(new RawFileRoller(1_000, 1024, AGE), 5_000))
                .as("one line larger than maxBytes rolls at once").containsExactly(Optional.of(Reason.BYTES));
    }

    @Test
    void rollsWhenTheFirstEventHasWaitedMaxAge() {
        RawFileRoller roller = new RawFileRoller(1_000, 1_000_000, AGE);
        roller.added(10, T0);
        roller.added(10, T0.plusSeconds(59));
        assertThat(roller.due(T0.plus(AGE).minusNanos(1))).isEmpty();
        assertThat(roller.due(T0.plus(AGE))).contains(Reason.AGE);
        assertThat(roller.due(T0.plus(AGE).plusSeconds(30))).contains(Reason.AGE);
    }

    @Test
    void countComesBeforeBytesAndBytesBeforeAge() {
        RawFileRoller roller = new RawFileRoller(2, 1024, AGE);
        roller.added(2_000, T0);
        assertThat(roller.due(T0.plus(AGE))).contains(Reason.BYTES);
        roller.added(1, T0);
        assertThat(roller.due(T0.plus(AGE))).contains(Reason.COUNT);
    }

    @Test
    void afterRollingTheNextFileCountsFromItsOwnFirstEvent() {
        RawFileRoller roller = new RawFileRoller(2, 1024, AGE);
        roller.added(1_000, T0);
        roller.added(1_000, T0);
        assertThat(roller.due(T0)).contains(Reason.COUNT);

        roller.rolled();
        assertThat(roller.due(T0.plus(AGE).plus(AGE))).as("nothing open").isEmpty();

        Instant later = T0.plus(AGE).plus(AGE);
        roller.added(1_000, later);
        assertThat(roller.due(later)).as("count and bytes start again from zero").isEmpty();
        assertThat(roller.due(later.plus(AGE).minusNanos(1))).as("age starts at this file's first event").isEmpty();
        assertThat(roller.due(later.plus(AGE))).contains(Reason.AGE);
    }

    @Test
    void refusesLimitsThatCouldNeverRollOrNegativeLines() {
        assertThatThrownBy(() -> new RawFileRoller(0, 1024, AGE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawFileRoller(1, 0, AGE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawFileRoller(1, 1024, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawFileRoller(1, 1024, AGE).added(-1, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
