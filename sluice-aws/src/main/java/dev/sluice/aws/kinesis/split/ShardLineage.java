package dev.sluice.aws.kinesis.split;

import dev.sluice.aws.kinesis.proxy.StreamShard;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which shards may be read now, so that a key's records stay in order across a reshard: a child shard (split or
 * merge) starts only after every parent is finished, that is read to its end and every record of it checkpointed.
 * A parent no longer listed has passed the retention period; nothing of it can be read, so it counts as finished.
 */
public final class ShardLineage {

    private ShardLineage() {
    }

    /**
     * The shards of {@code listed} that are neither {@code finished} nor {@code started} and whose parents are all
     * finished or gone, in listing order.
     */
    public static List<StreamShard> readable(Collection<StreamShard> listed, Set<String> finished,
                                             Set<String> started) {
        Set<String> listedIds = listed.stream().map(StreamShard::shardId).collect(Collectors.toSet());
        return listed.stream()
                .filter(shard -> !finished.contains(shard.shardId()) && !started.contains(shard.shardId()))
                .filter(shard -> parentDone(shard.parentShardId(), listedIds, finished)
                        && parentDone(shard.adjacentParentShardId(), listedIds, finished))
                .toList();
    }

    private static boolean parentDone(String parent, Set<String> listedIds, Set<String> finished) {
        return parent == null || finished.contains(parent) || !listedIds.contains(parent);
    }
}
