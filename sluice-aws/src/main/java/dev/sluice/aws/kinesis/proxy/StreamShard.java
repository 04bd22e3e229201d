package dev.sluice.aws.kinesis.proxy;

import java.util.Objects;

/**
 * One shard of a stream as ListShards describes it, with its lineage: a split child names its parent, a merged
 * child names both parents.
 *
 * @param shardId               e.g. {@code shardId-000000000002}
 * @param parentShardId         the shard it was split or merged from; {@code null} for a shard of the stream's creation
 * @param adjacentParentShardId the second parent of a merge; {@code null} otherwise
 */
public record StreamShard(String shardId, String parentShardId, String adjacentParentShardId) {

    public StreamShard {
        Objects.requireNonNull(shardId, "shardId");
    }

    /** A shard without parents. */
    public static StreamShard root(String shardId) {
        return new StreamShard(shardId, null, null);
    }

}
