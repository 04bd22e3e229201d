package dev.sluice.aws.kinesis.reader;

import dev.sluice.aws.kinesis.proxy.IteratorPosition;
import dev.sluice.aws.kinesis.proxy.KinesisProxy;
import dev.sluice.aws.kinesis.proxy.RecordBatch;
import dev.sluice.aws.kinesis.proxy.StreamRecord;
import dev.sluice.aws.kinesis.proxy.StreamShard;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A one-shard proxy whose GetRecords answers come from a script; it records every call. */
final class ScriptedProxy implements KinesisProxy {

    final List<IteratorPosition> iteratorsAskedFor = new CopyOnWriteArrayList<>();
    final List<String> getRecordsCalls = new CopyOnWriteArrayList<>();
    private final Function<String, RecordBatch> getRecords;

    /** @param getRecords the answer (or the exception) for each iterator passed to GetRecords */
    ScriptedProxy(Function<String, RecordBatch> getRecords) {
        this.getRecords = getRecords;
    }

    @Override
    public List<StreamShard> listShards(String stream) {
        return List.of(StreamShard.root("shard-0"));
    }

    @Override
    public String shardIterator(String stream, String shardId, IteratorPosition position) {
        iteratorsAskedFor.add(position);
        return "iterator-" + iteratorsAskedFor.size();
    }

    @Override
    public RecordBatch getRecords(String shardIterator, int limit) {
        getRecordsCalls.add(shardIterator);
        return getRecords.apply(shardIterator);
    }

    static StreamRecord record(String sequenceNumber) {
        return new StreamRecord(sequenceNumber, Instant.EPOCH, ("{\"n\":" + sequenceNumber + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
