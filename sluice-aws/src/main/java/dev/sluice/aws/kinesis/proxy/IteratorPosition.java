package dev.sluice.aws.kinesis.proxy;

import java.time.Instant;
import java.util.Objects;

/** Where a shard iterator starts (GetShardIterator's ShardIteratorType and its argument). */
public sealed interface IteratorPosition {

    /** The oldest record still kept. */
    record TrimHorizon() implements IteratorPosition {
    }

    /** Only records put after the iterator was made. */
    record Latest() implements IteratorPosition {
    }

    /** The first record that arrived at or after {@code timestamp}. */
    record AtTimestamp(Instant timestamp) implements IteratorPosition {
        public AtTimestamp {
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** The record with {@code sequenceNumber} itself: a rewind hands it out again. */
    record AtSequence(String sequenceNumber) implements IteratorPosition {
        public AtSequence {
            Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        }
    }

    /** The record after {@code sequenceNumber}: resuming after a checkpoint. */
    record AfterSequence(String sequenceNumber) implements IteratorPosition {
        public AfterSequence {
            Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        }
    }
}
