package dev.sluice.aws.sqs;

import dev.sluice.core.plugin.ReadsFrom;
import java.net.URI;
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
 * @param requireDeadLetterQueue whether connecting fails when the queue has no redrive policy; default false. A
 *                           message released again and again (rejected for redrive, or failing every time) then
 *                           comes back until the queue's retention period ends, instead of moving to a
 *                           dead-letter queue
 */
public record SqsSourceSettings(
        String queue,
        Duration waitTime,
        Integer maxMessagesPerPoll,
        Duration visibilityTimeout,
        Boolean requireDeadLetterQueue) implements ReadsFrom {

    public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_MESSAGES_PER_POLL = 10;
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);
    static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

    public SqsSourceSettings {
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException("queue must be given: a queue name or a full queue URL");
        }
        nameOf(queue);
        waitTime = waitTime == null ? DEFAULT_WAIT_TIME
                : wholeSecondsBetween("waitTime", waitTime, Duration.ZERO, MAX_WAIT_TIME);
        maxMessagesPerPoll = maxMessagesPerPoll == null ? DEFAULT_MAX_MESSAGES_PER_POLL
                : requireMaxMessagesPerPoll(maxMessagesPerPoll);
        visibilityTimeout = visibilityTimeout == null ? DEFAULT_VISIBILITY_TIMEOUT
                : wholeSecondsBetween("visibilityTimeout", visibilityTimeout, Duration.ofSeconds(1),
                        MAX_VISIBILITY_TIMEOUT);
        requireDeadLetterQueue = requireDeadLetterQueue != null && requireDeadLetterQueue;
    }

    /** Settings that do not require a dead-letter queue. */
    public SqsSourceSettings(String queue, Duration waitTime, Integer maxMessagesPerPoll, Duration visibilityTimeout) {
        this(queue, waitTime, maxMessagesPerPoll, visibilityTimeout, null);
    }

    /** Settings for {@code queue} with every default. */
    public static SqsSourceSettings of(String queue) {
        return new SqsSourceSettings(queue, null, null, null);
    }

    /**
     * {@code SQS queue NAME}; a URL counts by its last path segment. Every SQS source of a process reaches SQS
     * through the one {@code aws:} section (one region, one endpoint), so the name is what tells two queues apart.
     */
    @Override
    public String readsFrom() {
        return "SQS queue " + queueName();
    }

    /** The queue's name: {@code queue} itself, or the last path segment when it is a URL. */
    public String queueName() {
        return nameOf(queue);
    }

    private static String nameOf(String queue) {
        if (!isUrl(queue)) {
            return queue;
        }
        String path;
        try {
            path = URI.create(queue).getPath();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("queue must be a queue name or a full queue URL, was not a valid URL ("
                    + e.getMessage() + ")", e);
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("queue URL '" + queue + "' has no queue name as its last path segment");
        }
        return name;
    }

    static boolean isUrl(String queue) {
        return queue.startsWith("https://") || queue.startsWith("http://");
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
