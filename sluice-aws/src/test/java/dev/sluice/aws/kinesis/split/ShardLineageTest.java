package dev.sluice.aws.kinesis.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.aws.kinesis.proxy.StreamShard;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardLineageTest {

    private static final StreamShard PARENT = StreamShard.root("shard-0");
    private static final StreamShard OTHER = StreamShard.root("shard-1");
    private static final StreamShard SPLIT_LEFT = new StreamShard("shard-2", "shard-0", null);
    private static final StreamShard SPLIT_RIGHT = new StreamShard("shard-3", "shard-0", null);
    private static final StreamShard MERGED = new StreamShard("shard-4", "shard-2", "shard-3");

    @Test
    void childrenWaitUntilTheirParentIsFinished() {
        List<StreamShard> listed = List.of(PARENT, OTHER, SPLIT_LEFT, SPLIT_RIGHT);

        assertThat(ShardLineage.readable(listed, Set.of(), Set.of())).containsExactly(PARENT, OTHER);
        assertThat(ShardLineage.readable(listed, Set.of(), Set.of("shard-0", "shard-1"))).isEmpty();
        assertThat(ShardLineage.readable(listed, Set.of("shard-0"), Set.of("shard-0", "shard-1")))
                .containsExactly(SPLIT_LEFT, SPLIT_RIGHT);
    }

    @Test
    void aMergedShardWaitsForBothParents() {
        List<StreamShard> listed = List.of(SPLIT_LEFT, SPLIT_RIGHT, MERGED);

        assertThat(ShardLineage.readable(listed, Set.of("shard-2"), Set.of("shard-2", "shard-3"))).isEmpty();
        assertThat(ShardLineage.readable(listed, Set.of("shard-2", "shard-3"), Set.of("shard-2", "shard-3")))
                .containsExactly(MERGED);
    }

    @Test
    void aParentPastRetentionCountsAsFinished() {
        assertThat(ShardLineage.readable(List.of(SPLIT_LEFT), Set.of(), Set.of())).containsExactly(SPLIT_LEFT);
    }
}
