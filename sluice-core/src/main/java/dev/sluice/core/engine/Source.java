package dev.sluice.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where messages come from. A source hands out messages with a claim (SQS visibility) and forgets them only when
 * they are acknowledged; a message that is never acknowledged comes back. The {@link Runner} calls
 * {@link #acknowledge} only after everything derived from the messages is durable (DESIGN.md §2, rule 1).
 *
 * <p>Implementations must be safe for concurrent use by several receiver threads.
 */
public interface Source extends AutoCloseable {

    /** A name for logs and metrics, e.g. the queue name. */
    String name();

    /**
     * Waits up to the source's long-poll time for messages and returns at most {@code max} of them (possibly none).
     *
     * @throws Exception on a transient failure; the runner backs off and polls again
     */
    List<Message> poll(int max) throws Exception;

    /** The most messages one {@link #poll} can return (10 for SQS); the runner reserves that much in-flight room. */
    default int maxPerPoll() {
        return 10;
    }

    /**
     * Whether a replay delivers the messages again in the order they were first read, each shard from its checkpoint
     * (a stream), so that a sink naming what it stores by source positions rewrites the same objects. A queue does
     * not: it redelivers in any order.
     */
    default boolean replaysInOrder() {
        return false;
    }

    /** Deletes or checkpoints the messages: they will not be delivered again. Must be idempotent. */
    void acknowledge(List<Message> messages) throws Exception;

    /**
     * Extends the claim on messages still being worked on, so they are not redelivered meanwhile
     * (DESIGN.md §2, rule 5). Sources without claims do nothing.
     */
    void extendClaim(List<Message> messages, Duration extension) throws Exception;

    /** How long a claim lasts before the message becomes visible again; the runner heartbeats well within it. */
    Duration claimTimeout();

    /**
     * How far behind the source's consumers are, asked now; empty when the source cannot tell. Called by status
     * views, never by the runner, so it may take a network round trip.
     *
     * @throws Exception when the source cannot be reached to ask
     */
    default Optional<Backlog> backlog() throws Exception {
        return Optional.empty();
    }

    @Override
    void close();
}
