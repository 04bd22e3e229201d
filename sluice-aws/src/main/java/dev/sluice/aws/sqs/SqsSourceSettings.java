package dev.sluice.aws.sqs;

import java.time.Duration;

/**
 * Which SQS queue a pipeline reads and how. Every field but {@code queue} may be {@code null} and then takes its
 * default; limits are the ones SQS itself enforces, checked here so a bad configuration fails at start with a
 * message naming the field instead of on the first poll.
 *
 * @param queue              the queue's name, or its full URL (needed for a queue in another account)
 * @param waitTime           long-poll wait per receive, whole seconds from 0 to 20; default 20 s
 * @param maxMessagesPerPoll messages asked for per receive, 1 to 10; default 10
 * @param visibilityTimeout  how long a received message stays claimed, whole seconds from 1 s to 12 h; default
 *                           30 s. It is the source's claim timeout and the extension the heartbeat asks for
 */
public record SqsSourceSettings(
        String queue,
        Duration waitTime,
        Integer maxMessagesPerPoll,
        Duration visibilityTimeout) {

    public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_MESSAGES_PER_POLL = 10;
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);
    static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

    public SqsSourceSettings {
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException("queue must be given: a queue name or a full queue URL");
        }
        waitTime = waitTime == null ? DEFAULT_WAIT_TIME
                : wholeSecondsBetween("waitTime", waitTime, Duration.ZERO, MAX_WAIT_TIME);
        maxMessagesPerPoll = maxMessagesPerPoll == null ? DEFAULT_MAX_MESSAGES_PER_POLL
                : requireMaxMessagesPerPoll(maxMessagesPerPoll);
        visibilityTimeout = visibilityTimeout == null ? DEFAULT_VISIBILITY_TIMEOUT
                : wholeSecondsBetween("visibilityTimeout", visibilityTimeout, Duration.ofSeconds(1),
                        MAX_VISIBILITY_TIMEOUT);
    }

    /** Settings for {@code queue} with every default. */
    public static SqsSourceSettings of(String queue) {
        return new SqsSourceSettings(queue, null, null, null);
    }

    private static Duration wholeSecondsBetween(String field, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be between " + min.toSeconds() + " and "
                    + max.toSeconds() + " seconds, was " + describe(value));
        }
        if (value.toNanosPart() != 0) {
            throw new IllegalArgumentException(field + " must be whole seconds (SQS counts in seconds), was "
                    + describe(value));
        }
        return value;
    }

    private static String describe(Duration value) {
        return value.toNanosPart() == 0 ? value.toSeconds() + " s" : value.toMillis() + " ms";
    }

    private static int requireMaxMessagesPerPoll(int value) {
        if (value < 1 || value > 10) {
            throw new IllegalArgumentException("maxMessagesPerPoll must be between 1 and 10 (the SQS limit per "
                    + "receive), was " + value);
        }
        return value;
    }
}
