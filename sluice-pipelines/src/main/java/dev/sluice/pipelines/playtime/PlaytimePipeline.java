package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.S3NotificationStage;
import dev.sluice.aws.s3.S3ObjectDownloader;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.parquet.PlaytimeAggregator;
import dev.sluice.pipelines.WorkDirectory;
import dev.sluice.redis.PlaytimeStore;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.List;

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
 * dead-letter queue after its maximum receive count. The dead-letter queue is therefore the error store of this
 * pipeline; bad files are also recorded in Redis with their reason, for the API.
 */
public final class PlaytimePipeline {
    public static final String NAME = "playtime";

    /**
     * The raw messages stay in the queue and then its dead-letter queue, and the runner logs each reason with the
     * message's coordinates: there is nothing more to store.
     */
    private static final ErrorSink KEPT_BY_THE_DEAD_LETTER_QUEUE = rejects -> { };

    private PlaytimePipeline() {
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
        return Runner.builder(NAME, source, new S3NotificationStage(settings.filter()), counter,
                        KEPT_BY_THE_DEAD_LETTER_QUEUE)
                .settings(settings.runner())
                .metrics(new PipelineMetrics(registry, NAME))
                .rejectedMessages(RejectedMessages.RELEASE_FOR_REDRIVE)
                .clock(clock)
                .build();
    }
}
