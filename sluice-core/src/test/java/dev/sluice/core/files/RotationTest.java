package dev.sluice.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.files.Rotation.Reason;
import dev.sluice.core.files.Rotation.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every transition of the rotation state machine, and the calls it refuses. */
class RotationTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final Rotation rotation = new Rotation(new Rotation.Policy(3, 100, Duration.ofSeconds(60)));

    @Test
    void startsEmptyAndAnEmptyFileIsNeverDueWhateverTheTime() {
        assertThat(rotation.state()).isEqualTo(State.EMPTY);
        assertThat(rotation.tick(T0.plus(Duration.ofDays(1)))).isEqualTo(State.EMPTY);
        assertThat(rotation.due()).isEmpty();
    }

    @Test
    void theFirstEventOpensTheFileAndMoreStayOpenBelowEveryLimit() {
        assertThat(rotation.appended(10, T0)).isEqualTo(State.OPEN);
        assertThat(rotation.appended(20, T0.plusSeconds(59))).isEqualTo(State.OPEN);
        assertThat(rotation.events()).isEqualTo(2);
        assertThat(rotation.due()).isEmpty();
    }

    @Test
    void theEventThatReachesMaxEventsMakesItDueByCount() {
        rotation.appended(1, T0);
        rotation.appended(2, T0);
        assertThat(rotation.appended(3, T0)).isEqualTo(State.DUE);
        assertThat(rotation.due()).contains(Reason.COUNT);
    }

    @Test
    void reachingMaxBytesMakesItDueByBytesEvenOnTheFirstEvent() {
        assertThat(rotation.appended(100, T0)).isEqualTo(State.DUE);
        assertThat(rotation.due()).contains(Reason.BYTES);
    }

    @Test
    void anOpenFileBecomesDueByAgeAtATickWhenItsFirstEventWaitedMaxAgeNotBefore() {
        rotation.appended(1, T0);
        assertThat(rotation.tick(T0.plusSeconds(59))).isEqualTo(State.OPEN);
        assertThat(rotation.tick(T0.plusSeconds(60))).isEqualTo(State.DUE);
        assertThat(rotation.due()).contains(Reason.AGE);
    }

    @Test
    void anEventAppendedAfterMaxAgeMakesItDueByAge() {
        rotation.appended(1, T0);
        assertThat(rotation.appended(2, T0.plusSeconds(61))).isEqualTo(State.DUE);
        assertThat(rotation.due()).contains(Reason.AGE);
    }

    @Test
    void closingADueFileGivesItsReasonAndEmptiesIt() {
        rotation.appended(100, T0);
        assertThat(rotation.close(Reason.STOP)).isEqualTo(Reason.BYTES);
        assertThat(rotation.state()).isEqualTo(State.EMPTY);
        assertThat(rotation.events()).isZero();
        assertThat(rotation.due()).isEmpty();
    }

    @Test
    void closingAnOpenFileGivesTheCallersReason() {
        rotation.appended(1, T0);
        assertThat(rotation.close(Reason.OPEN_FILES)).isEqualTo(Reason.OPEN_FILES);
        assertThat(rotation.state()).isEqualTo(State.EMPTY);
    }

    @Test
    void afterACloseTheNextFileCountsAndAgesFromItsOwnFirstEvent() {
        rotation.appended(1, T0);
        rotation.appended(2, T0);
        rotation.close(Reason.STOP);
        assertThat(rotation.appended(1, T0.plusSeconds(50))).isEqualTo(State.OPEN);
        assertThat(rotation.appended(2, T0.plusSeconds(50))).isEqualTo(State.OPEN);
        assertThat(rotation.tick(T0.plusSeconds(109))).isEqualTo(State.OPEN);
        assertThat(rotation.tick(T0.plusSeconds(110))).isEqualTo(State.DUE);
    }

    @Test
    void abandonEmptiesTheFileFromEveryState() {
        rotation.abandon();
        assertThat(rotation.state()).isEqualTo(State.EMPTY);
        rotation.appended(1, T0);
        rotation.abandon();
        assertThat(rotation.state()).isEqualTo(State.EMPTY);
        rotation.appended(100, T0);
        rotation.abandon();
        assertThat(rotation.state()).isEqualTo(State.EMPTY);
        assertThat(rotation.due()).isEmpty();
        assertThat(rotation.events()).isZero();
    }

    @Test
    void appendingToADueFileOrClosingAnEmptyOneIsRefused() {
        assertThatThrownBy(() -> rotation.close(Reason.STOP)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no file is open");
        rotation.appended(100, T0);
        assertThatThrownBy(() -> rotation.appended(1, T0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the file is due (bytes); close it before appending");
        assertThat(rotation.events()).isEqualTo(1);
    }

    @Test
    void aPolicyNeedsPositiveLimits() {
        assertThatThrownBy(() -> new Rotation.Policy(0, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rotation.Policy(1, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rotation.Policy(1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
