package dev.sluice.aws.kinesis.reader;

import static dev.sluice.aws.kinesis.reader.ScriptedProxy.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.aws.kinesis.proxy.IteratorPosition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardBufferTest {

    private final ShardBuffer buffer = new ShardBuffer(10, new IteratorPosition.AfterSequence("0"), () -> { });

    @Test
    void aRewindRestartsAtTheReleasedRecordAndDiscardsWhatWasReadBefore() throws Exception {
        buffer.offer(List.of(record("1"), record("2"), record("3"), record("4")), 0);
        buffer.take(3, r -> { });

        buffer.rewind("2");

        assertThat(buffer.size()).isZero();
        ShardBuffer.Restart restart = buffer.takeRestart().orElseThrow();
        assertThat(restart).isEqualTo(new ShardBuffer.Restart(new IteratorPosition.AtSequence("2"), 1));
        assertThat(buffer.offer(List.of(record("4")), 0)).as("read for the old epoch").isFalse();
        assertThat(buffer.offer(List.of(record("2")), 1)).isTrue();
    }

    @Test
    void aRewindNeverSkipsRecordsOfThisEpochNotHandedOutYet() throws Exception {
        buffer.offer(List.of(record("5"), record("6"), record("7")), 0);
        buffer.take(3, r -> { });
        buffer.rewind("5");
        buffer.takeRestart();
        buffer.offer(List.of(record("5"), record("6")), 1);
        buffer.take(1, r -> { });

        // 7 was handed out in the old epoch and released late; 6 of this epoch was never handed out.
        buffer.rewind("7");

        assertThat(buffer.takeRestart().orElseThrow().position()).isEqualTo(new IteratorPosition.AfterSequence("5"));
    }

    @Test
    void aSecondRewindBeforeTheReaderRestartedKeepsTheEarlierStart() throws Exception {
        buffer.offer(List.of(record("1"), record("2"), record("3"), record("4")), 0);
        buffer.take(4, r -> { });

        buffer.rewind("3");
        buffer.rewind("4");

        assertThat(buffer.takeRestart().orElseThrow()).isEqualTo(
                new ShardBuffer.Restart(new IteratorPosition.AtSequence("3"), 2));
    }

    @Test
    void theShardIsDrainedOnlyAtItsEndWithNothingBuffered() throws Exception {
        buffer.offer(List.of(record("1")), 0);
        buffer.markEnded(0);
        assertThat(buffer.drainedToEnd(() -> true)).isFalse();

        buffer.take(1, r -> { });

        assertThat(buffer.drainedToEnd(() -> false)).isFalse();
        assertThat(buffer.drainedToEnd(() -> true)).isTrue();
    }
}
