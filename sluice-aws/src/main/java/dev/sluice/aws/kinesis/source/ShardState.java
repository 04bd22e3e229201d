package dev.sluice.aws.kinesis.source;

import dev.sluice.aws.kinesis.reader.ShardBuffer;
import dev.sluice.aws.kinesis.reader.ShardReader;

/** One shard the source reads: its buffer, its watermark, its reader and the checkpoint last stored for it. */
final class ShardState {

    final String shardId;
    final ShardBuffer buffer;
    final ShardWatermark watermark;
    final ShardReader reader;
    final Thread thread;
    /** The sequence number last written to the checkpoint store; only the checkpoint writer touches it. */
    String stored;

    ShardState(String shardId, ShardBuffer buffer, ShardWatermark watermark, ShardReader reader, String stored) {
        this.shardId = shardId;
        this.buffer = buffer;
        this.watermark = watermark;
        this.reader = reader;
        this.stored = stored;
        this.thread = Thread.ofVirtual().name("kinesis-reader-" + shardId).unstarted(reader);
    }

    void stop() {
        reader.stop();
        thread.interrupt();
    }
}
