package dev.sluice.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Test
    void sequenceNumbersCompareAsNumbersNotAsText() {
        Checkpoint nine = new Checkpoint("shard-1", "9", false);
        Checkpoint ten = new Checkpoint("shard-1", "10", false);

        assertThat(ten.isAtLeast(nine)).isTrue();
        assertThat(nine.isAtLeast(ten)).isFalse();
    }

    @Test
    void aFinishedShardStaysFinished() {
        Checkpoint finished = new Checkpoint("shard-1", "5", true);
        Checkpoint later = new Checkpoint("shard-1", "7", false);

        assertThat(finished.isAtLeast(later)).isTrue();
        assertThat(later.isAtLeast(finished)).isFalse();
        assertThat(new Checkpoint("shard-1", null, true).isAtLeast(later)).isTrue();
    }

    @Test
    void theInMemoryStoreNeverMovesACheckpointBackwards() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();

        store.save("s", List.of(new Checkpoint("a", "20", false)));
        store.save("s", List.of(new Checkpoint("a", "3", false), new Checkpoint("b", "1", false)));

        assertThat(store.load("s")).containsEntry("a", new Checkpoint("a", "20", false))
                .containsEntry("b", new Checkpoint("b", "1", false));
    }

    @Test
    void badCheckpointsNameTheShardAndTheRule() {
        assertThatThrownBy(() -> new Checkpoint(" ", "1", false)).hasMessage("shardId must not be blank");
        assertThatThrownBy(() -> new Checkpoint("shard-1", null, false))
                .hasMessage("checkpoint of shard-1 needs a sequence number unless the shard is finished");
        assertThatThrownBy(() -> new Checkpoint("shard-1", "12a", false))
                .hasMessage("sequenceNumber of shard-1 must be 1 to 129 decimal digits (the Kinesis form)");
    }
}
