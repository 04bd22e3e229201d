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

    /** Streams every recorded event remembered from {@code since} or later (to warm a cache at start). */
    void forEachSince(Instant since, Consumer<SeenEvent> action) throws Exception;
}
