package dev.sluice.parquet.lake;

import dev.sluice.parquet.lake.LakeFileRoller.Reason;
import dev.sluice.parquet.lake.LakeFileRoller.Roll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeFileRollerTest {
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    private final LakeFileRoller<String> roller = new LakeFileRoller<>(1_000, Duration.ofMinutes(5), 3);

    @Test
    void aFileRollsWhenAWriteBringsItToTheSizeLimit() {
        roller.opened("a", T0);

        assertThat(roller.written("a", 999)).isEmpty();
        assertThat(roller.written("a", 1_000)).contains(new Roll<>("a", Reason.SIZE));
    }

    @Test
    void aFileRollsWhenItsFirstRecordIsMaxAgeOldNotItsLastOne() {
        roller.opened("a", T0);
        roller.written("a", 10);
        roller.opened("b", T0.plusSeconds(60));
        roller.written("b", 10);
        roller.written("a", 20);

        assertThat(roller.due(T0.plus(Duration.ofMinutes(5)).minusMillis(1))).isEmpty();
        assertThat(roller.due(T0.plus(Duration.ofMinutes(5)))).containsExactly(new Roll<>("a", Reason.AGE));
        assertThat(roller.due(T0.plus(Duration.ofMinutes(6)))).containsExactlyInAnyOrder(
                new Roll<>("a", Reason.AGE), new Roll<>("b", Reason.AGE));
    }

    @Test
    void atTheCapOpeningAnotherFileRollsTheLeastRecentlyWrittenOne() {
        roller.opened("a", T0);
        roller.written("a", 1);
        roller.opened("b", T0);
        roller.written("b", 1);
        roller.opened("c", T0);
        roller.written("c", 1);
        roller.written("a", 2);

        assertThat(roller.beforeOpen("a")).isEmpty();
        assertThat(roller.beforeOpen("d")).contains(new Roll<>("b", Reason.CAP));
        roller.closed("b");
        assertThat(roller.beforeOpen("d")).isEmpty();
        roller.opened("d", T0);
        assertThat(roller.openFiles()).isEqualTo(3);
        assertThat(roller.beforeOpen("e")).contains(new Roll<>("c", Reason.CAP));
    }

    @Test
    void openingBeyondTheCapOrTwiceOrWritingAClosedFileIsABug() {
        roller.opened("a", T0);
        assertThatThrownBy(() -> roller.opened("a", T0)).isInstanceOf(IllegalStateException.class);
        roller.opened("b", T0);
        roller.opened("c", T0);
        assertThatThrownBy(() -> roller.opened("d", T0)).isInstanceOf(IllegalStateException.class);
        roller.closed("c");
        assertThatThrownBy(() -> roller.written("c", 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void flushRollsEveryOpenFileAndAClosedFileOpensAnew() {
        roller.opened("a", T0);
        roller.opened("b", T0);

        assertThat(roller.all()).containsExactlyInAnyOrder(new Roll<>("a", Reason.FLUSH), new Roll<>("b", Reason.FLUSH));
        roller.closed("a");
        roller.closed("b");
        assertThat(roller.openFiles()).isZero();
        assertThat(roller.due(T0.plus(Duration.ofDays(1)))).isEmpty();
        roller.opened("a", T0.plus(Duration.ofDays(1)));
        assertThat(roller.due(T0.plus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new LakeFileRoller<>(0, Duration.ofMinutes(1), 1))
                .hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> new LakeFileRoller<>(1, Duration.ZERO, 1)).hasMessageContaining("maxAge");
        assertThatThrownBy(() -> new LakeFileRoller<>(1, Duration.ofMinutes(1), 0))
                .hasMessageContaining("maxOpenFiles");
    }
}
