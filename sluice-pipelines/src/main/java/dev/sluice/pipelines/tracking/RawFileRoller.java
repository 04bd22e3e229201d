package dev.sluice.pipelines.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides when the open raw file rolls: once it holds {@code maxEvents} events, or {@code maxBytes} uncompressed
 * bytes, or its first event has waited {@code maxAge}. Pure bookkeeping, no IO, not thread-safe (the sink calls it
 * under its lock).
 *
 * <p>States: <em>empty</em> (no open file) → {@link #added} → <em>open</em> (events, bytes, first event's time) →
 * {@link #due} says why it must roll → {@link #rolled} → <em>empty</em>. An empty roller is never due.
 *
 * <pre>{@code
 * RawFileRoller roller = new RawFileRoller(10_000, 64L << 20, Duration.ofSeconds(60));
 * roller.added(line.length() + 1, now);
 * if (roller.due(now).isPresent()) { storeTheFile(); roller.rolled(); }
 * }</pre>
 */
public final class RawFileRoller {

    /** Why a file rolled, for logs and metrics. */
    public enum Reason {
        COUNT, BYTES, AGE
    }

    private final int maxEvents;
    private final long maxBytes;
    private final Duration maxAge;

    private int events;
    private long bytes;
    private Instant firstEventAt;

    public RawFileRoller(int maxEvents, long maxBytes, Duration maxAge) {
        if (maxEvents < 1 || maxBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxEvents and maxBytes must be at least 1 and maxAge positive");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
    }

    /** One event of {@code lineBytes} uncompressed bytes went into the file; the first one opens it at {@code now}. */
    public void added(long lineBytes, Instant now) {
        Objects.requireNonNull(now, "now");
        if (lineBytes < 0) {
            throw new IllegalArgumentException("lineBytes must not be negative, was " + lineBytes);
        }
        if (events == 0) {
            firstEventAt = now;
        }
        events++;
        bytes += lineBytes;
    }

    /** Why the open file must roll at {@code now}; empty while it may stay open, and always when nothing is open. */
    public Optional<Reason> due(Instant now) {
        if (events == 0) {
            return Optional.empty();
        }
        if (events >= maxEvents) {
            return Optional.of(Reason.COUNT);
        }
        if (bytes >= maxBytes) {
            return Optional.of(Reason.BYTES);
        }
        if (Duration.between(firstEventAt, now).compareTo(maxAge) >= 0) {
            return Optional.of(Reason.AGE);
        }
        return Optional.empty();
    }

    /** The open file was closed for storing: back to empty. */
    public void rolled() {
        events = 0;
        bytes = 0;
        firstEventAt = null;
    }
}
