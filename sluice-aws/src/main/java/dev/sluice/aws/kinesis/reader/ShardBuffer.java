package dev.sluice.aws.kinesis.reader;

import dev.sluice.aws.kinesis.proxy.IteratorPosition;
import dev.sluice.aws.kinesis.proxy.StreamRecord;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The records one shard's reader has read and the source has not handed out yet, bounded so a slow pipeline holds
 * the reader back (backpressure) instead of filling memory.
 *
 * <p>A rewind (the source releasing handed-out records for redelivery) drops the buffer and starts a new epoch:
 * the reader restarts at the earliest record that is now neither handed out nor buffered in this epoch, and
 * whatever it read for an earlier epoch is discarded. Records handed out before may come again; downstream
 * idempotence absorbs them.
 */
public final class ShardBuffer {

    /** Where the reader starts again, and the epoch its records belong to. */
    public record Restart(IteratorPosition position, long epoch) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<StreamRecord> records = new ArrayDeque<>();
    private final int capacity;
    private final Runnable onData;
    private long epoch;
    private IteratorPosition epochStart;
    private String lastHandedOut;
    private IteratorPosition pendingRestart;
    private boolean ended;
    private boolean stopped;

    /**
     * @param capacity records held at most before the reader waits (a batch may overshoot it once)
     * @param start    where the reader starts
     * @param onData   told whenever records arrive, so a waiting poll wakes up
     */
    public ShardBuffer(int capacity, IteratorPosition start, Runnable onData) {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffer capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.epochStart = start;
        this.onData = onData;
    }

    /** The epoch and position the reader starts with. */
    public Restart start() {
        lock.lock();
        try {
            return new Restart(epochStart, epoch);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds records read in {@code readEpoch}, waiting while the buffer is full.
     *
     * @return false when they were discarded: a rewind started a new epoch meanwhile, or the buffer was stopped
     */
    public boolean offer(List<StreamRecord> batch, long readEpoch) throws InterruptedException {
        lock.lock();
        try {
            while (records.size() >= capacity && readEpoch == epoch && !stopped) {
                changed.await();
            }
            if (readEpoch != epoch || stopped) {
                return false;
            }
            records.addAll(batch);
        } finally {
            lock.unlock();
        }
        onData.run();
        return true;
    }

    /** The reader read the shard to its end in {@code readEpoch}. */
    public void markEnded(long readEpoch) {
        lock.lock();
        try {
            if (readEpoch == epoch) {
                ended = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The restart a rewind asked for, if any; the reader calls it before each read. */
    public Optional<Restart> takeRestart() {
        lock.lock();
        try {
            if (pendingRestart == null) {
                return Optional.empty();
            }
            Restart restart = new Restart(pendingRestart, epoch);
            pendingRestart = null;
            return Optional.of(restart);
        } finally {
            lock.unlock();
        }
    }

    /** Waits, once the shard is read to its end, until a rewind asks to read again or the buffer stops. */
    public void awaitRestartOrStop() throws InterruptedException {
        lock.lock();
        try {
            while (pendingRestart == null && !stopped) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands out up to {@code max} records in shard order; {@code handingOut} sees each one while the buffer is
     * locked, so no rewind or end-of-shard check falls between taking a record and recording it as handed out.
     */
    public List<StreamRecord> take(int max, Consumer<StreamRecord> handingOut) {
        lock.lock();
        try {
            List<StreamRecord> taken = new ArrayList<>(Math.min(max, records.size()));
            while (taken.size() < max && !records.isEmpty()) {
                StreamRecord record = records.poll();
                handingOut.accept(record);
                lastHandedOut = record.sequenceNumber();
                taken.add(record);
            }
            if (!taken.isEmpty()) {
                changed.signalAll();
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases {@code sequenceNumber} and everything after it for redelivery: drops the buffer and makes the
     * reader start again at that record, or earlier when records of this epoch before it were not handed out yet.
     */
    public void rewind(String sequenceNumber) {
        lock.lock();
        try {
            IteratorPosition floor = lastHandedOut != null ? new IteratorPosition.AfterSequence(lastHandedOut)
                    : epochStart;
            IteratorPosition target = earlier(new IteratorPosition.AtSequence(sequenceNumber), floor);
            records.clear();
            epoch++;
            epochStart = target;
            pendingRestart = target;
            lastHandedOut = null;
            ended = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the shard is read to its end and every record handed out, and {@code andThen} holds, checked while
     * the buffer is locked (so no record is being handed out meanwhile).
     */
    public boolean drainedToEnd(BooleanSupplier andThen) {
        lock.lock();
        try {
            return ended && records.isEmpty() && pendingRestart == null && andThen.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    /** Records buffered now. */
    public int size() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes and ends every wait; records offered later are discarded. */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The earlier of two positions. A sequence position is compared by number, "after n" just behind "at n"; a
     * position that is not a sequence number (trim horizon, latest, a timestamp) only occurs before anything was
     * handed out, and is kept, since it cannot be behind anything handed out.
     */
    static IteratorPosition earlier(IteratorPosition.AtSequence at, IteratorPosition floor) {
        BigInteger wanted = new BigInteger(at.sequenceNumber());
        return switch (floor) {
            case IteratorPosition.AtSequence other ->
                    new BigInteger(other.sequenceNumber()).compareTo(wanted) < 0 ? other : at;
            case IteratorPosition.AfterSequence after ->
                    new BigInteger(after.sequenceNumber()).compareTo(wanted) < 0 ? after : at;
            default -> floor;
        };
    }
}
