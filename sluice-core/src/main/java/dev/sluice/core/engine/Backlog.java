package dev.sluice.core.engine;

import java.util.OptionalLong;

/**
 * How far behind a pipeline is, as its source can tell: messages waiting, messages claimed and in work, and
 * messages given up on into a dead-letter queue.
 *
 * @param visible     waiting to be received (SQS ApproximateNumberOfMessages)
 * @param inFlight    received and not yet acknowledged, by any consumer (ApproximateNumberOfMessagesNotVisible)
 * @param deadLetters in the dead-letter queue; empty when the source has none or cannot tell
 */
public record Backlog(long visible, long inFlight, OptionalLong deadLetters) {
}
