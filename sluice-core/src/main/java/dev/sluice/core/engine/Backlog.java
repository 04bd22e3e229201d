package dev.sluice.core.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far behind a pipeline is, as its source can tell: messages waiting, messages claimed and in work, and
 * messages given up on into a dead-letter queue; for a stream, how far its readers trail the newest record.
 *
 * @param visible      waiting to be received (SQS ApproximateNumberOfMessages; records read and buffered for a stream)
 * @param inFlight     received and not yet acknowledged, by any consumer (ApproximateNumberOfMessagesNotVisible)
 * @param deadLetters  in the dead-letter queue; empty when the source has none or cannot tell
 * @param behindLatest how far the furthest-behind reader trails the stream's newest record (Kinesis
 *                     millisBehindLatest, the iterator age); empty for queues
 */
public record Backlog(long visible, long inFlight, OptionalLong deadLetters, Optional<Duration> behindLatest) {

    /** A queue's backlog: no iterator age. */
    public Backlog(long visible, long inFlight, OptionalLong deadLetters) {
        this(visible, inFlight, deadLetters, Optional.empty());
    }
}
