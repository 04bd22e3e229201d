package dev.sluice.aws.kinesis.proxy;

import java.util.List;

/**
 * The three Kinesis calls the source makes, and nothing else: the seam its unit tests replace with a fake. Errors
 * are the SDK's own exceptions ({@code ProvisionedThroughputExceededException}, {@code ExpiredIteratorException},
 * ...), so a fake throws what Kinesis would.
 */
public interface KinesisProxy {

    /** Every shard of {@code stream}, open and closed (still within retention), all pages of ListShards. */
    List<StreamShard> listShards(String stream);

    /** A shard iterator (valid for 5 minutes) for {@code shardId} at {@code position}. */
    String shardIterator(String stream, String shardId, IteratorPosition position);

    /** Up to {@code limit} records from {@code shardIterator} on. */
    RecordBatch getRecords(String shardIterator, int limit);
}
