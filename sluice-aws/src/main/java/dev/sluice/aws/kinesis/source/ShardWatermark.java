package dev.sluice.aws.kinesis.source;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One shard's checkpoint as acknowledgements arrive in any order and any subset: the highest sequence number below
 * which everything handed out is acknowledged. A file sink acknowledges a shard's records file by file, and files
 * complete out of order, so the checkpoint may only pass a record once every earlier one is durable too.
 *
 * <pre>{@code
 * ShardWatermark mark = new ShardWatermark(Optional.empty());
 * mark.handedOut("1"); mark.handedOut("2"); mark.handedOut("3");
 * mark.acknowledged("3");            // checkpoint(): empty, 1 and 2 are still in work
 * mark.acknowledged("1");            // checkpoint(): "1"
 * mark.acknowledged("2");            // checkpoint(): "3"
 * }</pre>
 *
 * <p>A rewind hands the same record out again, and both reads may be in work at once (the first in an open file,
 * the second a copy that the sink acknowledges early), so each read is counted: a record is durable once one read
 * is acknowledged and no read of it is left in work. A released read ({@link #released}) is no longer in work, and
 * what was acknowledged of the record before counts no more, since a copy may have been acknowledged on the strength
 * of the read now handed back; the record waits for its next read. Memory is bounded by the reads in work and
 * released, not by what was read: of a run of durable records behind one in work only the last is kept.
 *
 * <p>Thread-safe. Sequence numbers compare as numbers (they are strings of up to 129 decimal digits).
 */
public final class ShardWatermark {

    /** A record handed out above the checkpoint. */
    private static final class Position {
        /** Reads handed out and neither acknowledged nor released. */
        int inWork;
        /** A read was acknowledged since the record was last released. */
        boolean acknowledged;

        boolean durable() {
            return acknowledged && inWork == 0;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Records above the checkpoint; never two durable ones next to each other (the lower one says nothing more). */
    private final TreeMap<BigInteger, Position> outstanding = new TreeMap<>();
    private String checkpoint;
    private BigInteger checkpointPosition;

    /** @param resumedFrom the stored checkpoint the shard resumes after, if any */
    public ShardWatermark(Optional<String> resumedFrom) {
        this.checkpoint = resumedFrom.orElse(null);
        this.checkpointPosition = resumedFrom.map(BigInteger::new).orElse(null);
    }

    /** The record is handed out (again, after a rewind: then this read is in work beside any earlier one). */
    public void handedOut(String sequenceNumber) {
        BigInteger position = new BigInteger(sequenceNumber);
        lock.lock();
        try {
            if (checkpointPosition == null || position.compareTo(checkpointPosition) > 0) {
                outstanding.computeIfAbsent(position, p -> new Position()).inWork++;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One read of the record is durable (or a copy of it, acknowledged while another read may still be in work);
     * acknowledging a record with no read in work (again, released, or never handed out) is ignored.
     */
    public void acknowledged(String sequenceNumber) {
        settle(sequenceNumber, true);
    }

    /** One read of the record is handed back for a rewind: no longer in work, and not durable until read again. */
    public void released(String sequenceNumber) {
        settle(sequenceNumber, false);
    }

    private void settle(String sequenceNumber, boolean acknowledged) {
        BigInteger key = new BigInteger(sequenceNumber);
        lock.lock();
        try {
            Position position = outstanding.get(key);
            if (position == null || position.inWork == 0) {
                return;
            }
            position.inWork--;
            position.acknowledged = acknowledged;
            if (position.durable()) {
                Map.Entry<BigInteger, Position> lower = outstanding.lowerEntry(key);
                if (lower != null && lower.getValue().durable()) {
                    outstanding.remove(lower.getKey());
                }
                Map.Entry<BigInteger, Position> higher = outstanding.higherEntry(key);
                if (higher != null && higher.getValue().durable()) {
                    outstanding.remove(key);
                }
            }
            while (!outstanding.isEmpty() && outstanding.firstEntry().getValue().durable()) {
                checkpointPosition = outstanding.pollFirstEntry().getKey();
                checkpoint = checkpointPosition.toString();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The highest sequence number with everything handed out up to it acknowledged; empty when there is none. */
    public Optional<String> checkpoint() {
        lock.lock();
        try {
            return Optional.ofNullable(checkpoint);
        } finally {
            lock.unlock();
        }
    }

    /** Whether every record handed out is durable (none in work, none released and waiting for its next read). */
    public boolean allAcknowledged() {
        lock.lock();
        try {
            return outstanding.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Reads handed out and neither acknowledged nor released. */
    public int inWork() {
        lock.lock();
        try {
            return outstanding.values().stream().mapToInt(p -> p.inWork).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Records held above the checkpoint: what this watermark costs in memory. */
    int positions() {
        lock.lock();
        try {
            return outstanding.size();
        } finally {
            lock.unlock();
        }
    }
}
