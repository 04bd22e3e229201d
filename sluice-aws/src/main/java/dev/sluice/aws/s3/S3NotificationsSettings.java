package dev.sluice.aws.s3;

import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.DecodesMessages;
import dev.sluice.core.plugin.ReadsFrom;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code s3_notifications} source's settings: the SQS queue S3 notifies (the {@code sqs} source's settings,
 * with a dead-letter queue required by default) and which notified objects the pipeline wants. The queue's rules
 * are {@link SqsSourceSettings}'s and the filter's {@link S3NotificationFilter}'s; defaults are filled in here.
 *
 * @param queue                  the queue's name, or its full URL; required
 * @param waitTime               long-poll wait per receive, whole seconds from 0 to 20; default 20 s
 * @param maxMessagesPerPoll     messages asked for per receive, 1 to 10; default 10
 * @param visibilityTimeout      how long a received notification stays claimed, whole seconds from 1 s to 12 h;
 *                               default 30 s (the heartbeat renews it while its files are worked on)
 * @param requireDeadLetterQueue whether the pipeline refuses to start when the queue has no redrive policy; default
 *                               true: a bad file's notification is released for redrive, and without a dead-letter
 *                               queue it would come back until the queue's retention period ends
 * @param keyPrefix              only objects whose decoded key starts with this; default: any key
 * @param keySuffix              only objects whose decoded key ends with this; default {@code .parquet}; empty: any
 * @param buckets                only objects from these buckets; default: any bucket
 */
public record S3NotificationsSettings(
        String queue,
        Duration waitTime,
        Integer maxMessagesPerPoll,
        Duration visibilityTimeout,
        Boolean requireDeadLetterQueue,
        String keyPrefix,
        String keySuffix,
        Set<String> buckets) implements ReadsFrom, DecodesMessages {

    public S3NotificationsSettings {
        SqsSourceSettings source = new SqsSourceSettings(queue, waitTime, maxMessagesPerPoll, visibilityTimeout,
                requireDeadLetterQueue == null || requireDeadLetterQueue);
        waitTime = source.waitTime();
        maxMessagesPerPoll = source.maxMessagesPerPoll();
        visibilityTimeout = source.visibilityTimeout();
        requireDeadLetterQueue = source.requireDeadLetterQueue();
        S3NotificationFilter filter = new S3NotificationFilter(keyPrefix, keySuffix, buckets);
        keyPrefix = filter.keyPrefix();
        keySuffix = filter.keySuffix();
        buckets = filter.buckets();
    }

    /** The queue as the {@code sqs} source reads it. */
    public SqsSourceSettings source() {
        return new SqsSourceSettings(queue, waitTime, maxMessagesPerPoll, visibilityTimeout, requireDeadLetterQueue);
    }

    public S3NotificationFilter filter() {
        return new S3NotificationFilter(keyPrefix, keySuffix, buckets);
    }

    /** The queue's, so an {@code sqs} and an {@code s3_notifications} pipeline on one queue are refused too. */
    @Override
    public String readsFrom() {
        return source().readsFrom();
    }

    /** The notification's wanted objects as the record (the field {@value S3NotificationsPlugin#OBJECTS}). */
    @Override
    public List<Processor> decoders() {
        return List.of(new S3NotificationsPlugin.Decoder(new S3NotificationStage(filter())));
    }
}
