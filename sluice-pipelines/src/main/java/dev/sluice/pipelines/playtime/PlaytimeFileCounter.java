package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.DownloadedObject;
import dev.sluice.aws.s3.MissingObjectException;
import dev.sluice.aws.s3.S3ObjectDownloader;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.PipelineLog;
import dev.sluice.core.engine.Sink;
import dev.sluice.parquet.BadParquetFileException;
import dev.sluice.parquet.PlaytimeAggregator;
import dev.sluice.parquet.PlaytimeTotals;
import dev.sluice.redis.PlaytimeKeys;
import dev.sluice.redis.PlaytimeStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The playtime sink: counts each notified file once. For every object a notification names it downloads the object
 * as it is now, sums it ({@link PlaytimeAggregator}) and applies the sums with the done marker of the version it
 * read, in one Redis script ({@link PlaytimeStore#applyFile}).
 *
 * <p>Failures split two ways. A file that breaks a rule (not Parquet, a column missing or mistyped, a null, a
 * negative or absurd duration, too many users), a deleted object or a missing bucket is recorded as a failed file
 * ({@link PlaytimeStore#recordFailure}, visible through the API) and refused with a
 * {@link DestinationRejectedException}, so the engine releases its message for the queue's redrive policy and it
 * ends in the dead-letter queue. Anything else (S3 or Redis unreachable, a full disk) propagates and is retried
 * with backoff while the heartbeat keeps the message claimed; retrying is safe because a counted file's marker
 * makes the next apply a no-op. Redis failures that retrying cannot mend (a key of the playtime layout holding
 * another type, refused credentials, memory full) are a {@link PermanentFailureException} whose reason names the
 * key pattern, never the key (a user id).
 */
final class PlaytimeFileCounter implements Sink<List<S3ObjectRef>> {
    private static final Logger log = LoggerFactory.getLogger(PlaytimeFileCounter.class);

    private final S3ObjectDownloader downloader;
    private final PlaytimeAggregator aggregator;
    private final PlaytimeStore store;
    private final Path workDirectory;
    private final Clock clock;
    private final Counter counted;
    private final Counter alreadyCounted;
    private final Counter failed;
    private final Counter rows;

    PlaytimeFileCounter(S3ObjectDownloader downloader, PlaytimeAggregator aggregator, PlaytimeStore store,
                        Path workDirectory, MeterRegistry registry, Clock clock) {
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
        this.store = Objects.requireNonNull(store, "store");
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counted = files(registry, "counted");
        this.alreadyCounted = files(registry, "already_counted");
        this.failed = files(registry, "failed");
        this.rows = Counter.builder("sluice.playtime.rows").description("rows of files counted")
                .tag("pipeline", PlaytimePipeline.NAME).register(registry);
    }

    private static Counter files(MeterRegistry registry, String outcome) {
        return Counter.builder("sluice.playtime.files").description("notified files by outcome")
                .tag("pipeline", PlaytimePipeline.NAME).tag("outcome", outcome).register(registry);
    }

    /** Counts every file of every delivery; the first bad file refuses its delivery (the good ones stay counted). */
    @Override
    public void write(List<Delivery<List<S3ObjectRef>>> deliveries) throws Exception {
        for (Delivery<List<S3ObjectRef>> delivery : deliveries) {
            for (S3ObjectRef file : delivery.value()) {
                count(file);
            }
        }
    }

    private void count(S3ObjectRef notified)
            throws IOException, DestinationRejectedException, PermanentFailureException {
        DownloadedObject object;
        try {
            object = downloader.download(notified, workDirectory);
        } catch (MissingObjectException e) {
            throw refuse(notified.bucket(), notified.key(), notified.eTag(), e.getMessage());
        }
        try (object) {
            String marker = PlaytimeKeys.marker(object.bucket(), object.key(), object.eTag());
            if (store.isApplied(marker)) {
                alreadyCounted.increment();
                return;
            }
            PlaytimeTotals totals;
            try {
                totals = aggregator.aggregate(object.file());
            } catch (BadParquetFileException e) {
                throw refuse(object.bucket(), object.key(), object.eTag(), e.getMessage());
            }
            boolean now;
            try {
                now = store.applyFile(marker, totals.perUser());
            } catch (IllegalArgumentException tooLargeForOneScript) {
                throw refuse(object.bucket(), object.key(), object.eTag(), tooLargeForOneScript.getMessage());
            }
            (now ? counted : alreadyCounted).increment();
            if (now) {
                rows.increment(totals.rows());
                PipelineLog.at(log, Level.INFO, PlaytimePipeline.NAME, object.coordinates())
                        .log("pipeline {}: counted {} ({} rows, {} users, {} s)", PlaytimePipeline.NAME,
                                object.coordinates().describe(), totals.rows(), totals.perUser().size(),
                                totals.total());
            }
        }
    }

    private DestinationRejectedException refuse(String bucket, String key, String eTag, String reason)
            throws PermanentFailureException {
        String why = "file refused: " + reason;
        store.recordFailure(bucket, key, eTag, why, clock.instant());
        failed.increment();
        return new DestinationRejectedException(why);
    }
}
