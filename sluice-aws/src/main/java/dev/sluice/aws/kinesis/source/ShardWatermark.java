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
 * <p>Thread-safe. Sequence numbers compare as numbers (they are strings of up to 129 decimal digits).
 */
public final class ShardWatermark {

    private final ReentrantLock lock = new ReentrantLock();
    /** Handed out and above the checkpoint: sequence number to whether it is acknowledged. */
    private final TreeMap<BigInteger, Boolean> outstanding = new TreeMap<>();
    private String checkpoint;
    private BigInteger checkpointPosition;

    /** @param resumedFrom the stored checkpoint the shard resumes after, if any */
    public ShardWatermark(Optional<String> resumedFrom) {
        this.checkpoint = resumedFrom.orElse(null);
        this.checkpointPosition = resumedFrom.map(BigInteger::new).orElse(null);
    }

    /** The record is handed out; handing it out again (after a rewind) changes nothing. */
    public void handedOut(String sequenceNumber) {
        BigInteger position = new BigInteger(sequenceNumber);
        lock.lock();
        try {
            if (checkpointPosition == null || position.compareTo(checkpointPosition) > 0) {
                outstanding.putIfAbsent(position, false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The record is durable; acknowledging one that is not outstanding (again, or never handed out) is ignored. */
    public void acknowledged(String sequenceNumber) {
        BigInteger position = new BigInteger(sequenceNumber);
        lock.lock();
        try {
            outstanding.computeIfPresent(position, (p, acked) -> true);
            while (!outstanding.isEmpty() && outstanding.firstEntry().getValue()) {
                Map.Entry<BigInteger, Boolean> first = outstanding.pollFirstEntry();
                checkpointPosition = first.getKey();
                checkpoint = first.getKey().toString();
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

    /** Whether every record handed out is acknowledged. */
    public boolean allAcknowledged() {
        lock.lock();
        try {
            return outstanding.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Records handed out and not yet acknowledged. */
    public int inWork() {
        lock.lock();
        try {
            return (int) outstanding.values().stream().filter(acked -> !acked).count();
        } finally {
            lock.unlock();
        }
    }
}
