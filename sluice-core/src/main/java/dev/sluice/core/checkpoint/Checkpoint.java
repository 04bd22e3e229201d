package dev.sluice.core.checkpoint;

import java.math.BigInteger;
import java.util.Objects;

/**
 * How far one shard of a stream has been made durable: every record up to and including {@code sequenceNumber} is
 * stored, so a restart resumes after it. A finished shard was read to its end (it was split or merged) and every
 * record of it is stored: it is never read again, and its children may start.
 *
 * @param shardId        the shard, e.g. {@code shardId-000000000001}
 * @param sequenceNumber the last durable record's sequence number (up to 129 decimal digits); {@code null}
 *                       only for a finished shard that held no record
 * @param finished       read to its end and every record durable
 */
public record Checkpoint(String shardId, String sequenceNumber, boolean finished) {

    public Checkpoint {
        if (shardId == null || shardId.isBlank()) {
            throw new IllegalArgumentException("shardId must not be blank");
        }
        if (sequenceNumber == null && !finished) {
            throw new IllegalArgumentException("checkpoint of " + shardId + " needs a sequence number unless the "
                    + "shard is finished");
        }
        if (sequenceNumber != null && !sequenceNumber.matches("[0-9]{1,129}")) {
            throw new IllegalArgumentException("sequenceNumber of " + shardId
                    + " must be 1 to 129 decimal digits (the Kinesis form)");
        }
    }

    /** The sequence number as a number, for ordering (sequence numbers only grow within a shard). */
    public BigInteger position() {
        return sequenceNumber == null ? BigInteger.valueOf(-1) : new BigInteger(sequenceNumber);
    }

    /**
     * Whether this checkpoint is at least as far as {@code other} of the same shard: a store keeps the further one, so
     * a late or repeated write never moves a checkpoint backwards.
     */
    public boolean isAtLeast(Checkpoint other) {
        Objects.requireNonNull(other, "other");
        if (other.finished && !finished) {
            return false;
        }
        return finished && !other.finished || position().compareTo(other.position()) >= 0;
    }
}
