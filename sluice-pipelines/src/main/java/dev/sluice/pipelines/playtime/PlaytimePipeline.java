package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.S3NotificationStage;
import dev.sluice.aws.s3.S3ObjectDownloader;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.parquet.PlaytimeAggregator;
import dev.sluice.pipelines.WorkDirectory;
import dev.sluice.redis.PlaytimeStore;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The {@code playtime} pipeline: S3 event notifications on SQS → the created Parquet objects that pass the filter →
 * download → SUM(EventDuration) per user and event type → one Redis script per file, counted once per
 * {@code bucket/key@etag}.
 *
 * <pre>{@code
 * try (PlaytimeStore store = PlaytimeStore.open(redisSettings); S3Client s3 = S3Clients.create(aws)) {
 *     Runner<List<S3ObjectRef>> playtime = PlaytimePipeline.create(settings,
 *             SqsSource.connect(aws, settings.source()), s3, store, registry, Clock.systemUTC());
 *     playtime.start();
 * }
 * }</pre>
 *
 * <p>Rejected messages are released, not acknowledged ({@link RejectedMessages#RELEASE_FOR_REDRIVE}): a
 * notification is a pointer to data, so the queue's redrive policy moves it, unchanged and replayable, to the
 * dead-letter queue after its maximum receive count. Every reject (a malformed notification, or one naming a bad
 * file) is also stored in Redis with its reason and raw body, once per message and for {@code retention.failures}
 * ({@link PlaytimeStore#recordReject}, {@code GET /api/playtime/rejects}); bad files are recorded with their reason
 * too ({@link PlaytimeStore#recordFailure}, {@code GET /api/playtime/failures}). Without a redrive policy a bad
 * file's notification would come back forever, downloaded and summed again on every receive, so the pipeline
 * refuses such a queue ({@link #checkDeadLetterQueue}) unless {@code requireDeadLetterQueue} is false.
 */
public final class PlaytimePipeline {
    public static final String NAME = "playtime";


    private PlaytimePipeline() {
    }

    /** {@code sqs:<queue>/<message id>}: the same for every delivery of a message, so it is recorded once. */
    private static String message(SourceCoordinates where) {
        return where instanceof SourceCoordinates.Queue queue
                ? "sqs:" + queue.queue() + "/" + queue.messageId() : where.describe();
    }

    /**
     * What {@code run} checks before it starts the pipeline and {@code sluice check} shows: the queue must move a
     * message to a dead-letter queue after its maximum receive count, as this pipeline releases a bad file's
     * notification for redrive.
     *
     * @return a line for {@code sluice check}: the redrive policy, or that none is required
     * @throws IllegalStateException when the queue has no redrive policy and {@code requireDeadLetterQueue} is true;
     *                               the message names the queue, the attribute and the setting
     */
    public static String checkDeadLetterQueue(PlaytimeSettings settings, SqsSource queue) {
        Optional<String> policy = queue.redrivePolicy();
        if (policy.isPresent()) {
            return "redrive policy " + policy.get();
        }
        if (settings.requireDeadLetterQueue()) {
            throw new IllegalStateException("pipelines.playtime: queue " + queue.name() + " has no dead-letter queue "
                    + "(no RedrivePolicy attribute), so a bad file's notification would be released and counted "
                    + "again forever; give the queue a redrive policy, or set "
                    + "pipelines.playtime.requireDeadLetterQueue: false to run without one");
        }
        return "no dead-letter queue (requireDeadLetterQueue: false): a bad file's notification comes back until the "
                + "queue's retention period ends";
    }

    /**
     * Builds the runner; the caller starts and stops it, and closes the store and the S3 client afterwards.
     *
     * @throws IllegalStateException when the work directory cannot be created or written: a file could never be
     *                               counted, so the pipeline must not start
     */
    public static Runner<List<S3ObjectRef>> create(PlaytimeSettings settings, Source source, S3Client s3,
                                                   PlaytimeStore store, MeterRegistry registry, Clock clock) {
        PlaytimeFileCounter counter = new PlaytimeFileCounter(new S3ObjectDownloader(s3),
                new PlaytimeAggregator(settings.rules()), store,
                WorkDirectory.ready(settings.workDirectory(), "pipelines.playtime.workDirectory", "sluice-playtime-"),
                registry, clock);
        ErrorSink rejects = batch -> {
            for (Rejected reject : batch) {
                store.recordReject(message(reject.source().coordinates()), reject.reason(), reject.source().body(),
                        clock.instant());
            }
        };
        return Runner.builder(NAME, source, new S3NotificationStage(settings.filter()), counter, rejects)
                .settings(settings.runner())
                .metrics(new PipelineMetrics(registry, NAME))
                .rejectedMessages(RejectedMessages.RELEASE_FOR_REDRIVE)
                .clock(clock)
                .build();
    }
}
