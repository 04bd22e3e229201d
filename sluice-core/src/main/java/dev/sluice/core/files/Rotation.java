package dev.sluice.core.files;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When one open file rolls, as an explicit state machine. Pure bookkeeping, no IO, not thread-safe (the sink calls it
 * under its lock).
 *
 * <pre>
 * EMPTY --appended--> OPEN --appended (count or bytes reached)--> DUE
 * EMPTY --appended (count or bytes reached by the first event)--> DUE
 * OPEN  --tick (first event waited maxAge)--> DUE
 * DUE   --close--> EMPTY   (its reason: count, bytes or age)
 * OPEN  --close--> EMPTY   (the caller's reason: stop, open_files)
 * any   --abandon--> EMPTY
 * </pre>
 * Appending to a DUE file and closing an EMPTY one are errors of the caller.
 */
public final class Rotation {

    public enum State {
        /** No file is open. */
        EMPTY,
        /** A file holds events and may take more. */
        OPEN,
        /** The file must close before it takes another event. */
        DUE
    }

    /** Why a file closed, for logs and metrics. */
    public enum Reason {
        COUNT, BYTES, AGE,
        /** Flushed when the runner stopped. */
        STOP,
        /** Closed early: a file of another partition had to open and {@code maxOpenFiles} were open. */
        OPEN_FILES;

        /** As in metrics tags: {@code count}, {@code open_files}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param maxEvents at least 1
     * @param maxBytes  at least 1
     * @param maxAge    positive
     */
    public record Policy(int maxEvents, long maxBytes, Duration maxAge) {
        public Policy {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxEvents < 1 || maxBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxEvents and maxBytes must be at least 1 and maxAge positive");
            }
        }
    }

    private final Policy policy;
    private State state = State.EMPTY;
    private Reason due;
    private int events;
    private Instant firstEventAt;

    public Rotation(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public State state() {
        return state;
    }

    /** Why the file must close; empty unless {@link State#DUE}. */
    public Optional<Reason> due() {
        return Optional.ofNullable(due);
    }

    public int events() {
        return events;
    }

    /**
     * One event went into the file, which now holds {@code fileBytes}; the first one opens it at {@code now}.
     *
     * @return the state after it
     * @throws IllegalStateException when the file is due: it must close first
     */
    public State appended(long fileBytes, Instant now) {
        Objects.requireNonNull(now, "now");
        if (state == State.DUE) {
            throw new IllegalStateException("the file is due (" + due.tag() + "); close it before appending");
        }
        if (state == State.EMPTY) {
            firstEventAt = now;
        }
        events++;
        if (events >= policy.maxEvents()) {
            return becomeDue(Reason.COUNT);
        }
        if (fileBytes >= policy.maxBytes()) {
            return becomeDue(Reason.BYTES);
        }
        state = State.OPEN;
        return tick(now);
    }

    /** The clock moved to {@code now}: an open file whose first event waited {@code maxAge} becomes due. */
    public State tick(Instant now) {
        if (state == State.OPEN && Duration.between(firstEventAt, now).compareTo(policy.maxAge()) >= 0) {
            return becomeDue(Reason.AGE);
        }
        return state;
    }

    /**
     * The file closes: a due file for its reason, an open one for {@code early}.
     *
     * @return why it closed
     * @throws IllegalStateException when no file is open
     */
    public Reason close(Reason early) {
        Reason reason = switch (state) {
            case EMPTY -> throw new IllegalStateException("no file is open");
            case OPEN -> Objects.requireNonNull(early, "early");
            case DUE -> due;
        };
        reset();
        return reason;
    }

    /** The file was given up (its work directory failed): back to empty, whatever the state. */
    public void abandon() {
        reset();
    }

    private State becomeDue(Reason reason) {
        state = State.DUE;
        due = reason;
        return state;
    }

    private void reset() {
        state = State.EMPTY;
        due = null;
        events = 0;
        firstEventAt = null;
    }
}
