package dev.sluice.aws.kinesis.proxy;

import java.util.List;

/**
 * What one GetRecords call returned.
 *
 * @param records            in shard order; may be empty while the shard is open
 * @param nextIterator       where the next call continues; {@code null} once a closed shard is read to its end
 * @param millisBehindLatest how far this read trails the shard's newest record; 0 when caught up
 */
public record RecordBatch(List<StreamRecord> records, String nextIterator, long millisBehindLatest) {

    public RecordBatch {
        records = List.copyOf(records);
    }

    /** The shard was split or merged and every record of it has been returned (SHARD_END). */
    public boolean shardEnded() {
        return nextIterator == null;
    }
}
