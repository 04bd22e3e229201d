package dev.sluice.core.dedupe;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The durable record of events already stored at the destination (the lake's {@code lake_seen} table). Only
 * {@link DedupingSink} writes it, and only after the files holding the events are stored, so a key here means
 * "this event is in the destination".
 */
public interface SeenEvents {

    /** Which of {@code keys} are recorded; one round trip for the whole collection. */
    Set<String> recorded(Collection<String> keys) throws Exception;

    /**
     * Records the events, each remembered from the later of its event time and {@code now}: a late event is kept
     * for the horizon after it arrived, so a resend of it is still caught. Recording a key again changes nothing.
     */
    void record(Collection<SeenEvent> events, Instant now) throws Exception;

    /** Forgets the events remembered from before {@code cutoff}; returns how many were forgotten. */
    long forgetBefore(Instant cutoff) throws Exception;

    /**
     * Writes down that a file is being stored under {@code object} (a ledger row), before its put. A store without a
     * ledger does nothing: a crash between a put and its record may then leave that file beside its rewrite.
     */
    default void storing(String object) throws Exception {
    }

    /** {@link #record(Collection, Instant)}, and in the same transaction drops {@code object}'s ledger row. */
    default void record(Collection<SeenEvent> events, Instant now, String object) throws Exception {
        record(events, now);
    }

    /** Drops {@code object}'s ledger row: its file was deleted again, its events not recorded. */
    default void settled(String object) throws Exception {
    }

    /** The objects whose ledger row is left: stored, or being stored, and their events not recorded. */
    default Set<String> unsettled() throws Exception {
        return Set.of();
    }

    /** Streams every recorded event remembered from {@code since} or later (to warm a cache at start). */
    void forEachSince(Instant since, Consumer<SeenEvent> action) throws Exception;
}
