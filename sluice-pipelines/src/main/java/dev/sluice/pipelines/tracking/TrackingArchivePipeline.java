package dev.sluice.pipelines.tracking;

import dev.sluice.aws.s3.S3FileUploader;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.pipelines.WorkDirectory;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.QueueErrorSink;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/**
 * The {@code tracking} pipeline's raw archiver: app events on SQS → {@link TrackingEventCheck} → gzip NDJSON files
 * in the bucket ({@link RawArchiveSink}), a message deleted only once its file is stored; rejects →
 * {@code tracking_rejects} with the reason and the raw body, then deleted (recorded, never a poison loop).
 *
 * <pre>{@code
 * try (PostgresDatabase db = new PostgresDatabase(postgresSettings); S3Client s3 = S3Clients.create(aws)) {
 *     Runner<ArchivedEvent> tracking = TrackingArchivePipeline.create(settings,
 *             SqsSource.connect(aws, settings.source()), s3, db, registry, Clock.systemUTC());
 *     tracking.start();
 *     ...
 *     tracking.stop();   // stores the open file, then deletes its messages
 * }
 * }</pre>
 */
public final class TrackingArchivePipeline {
    public static final String NAME = "tracking";
    /** Raw files are gzip; no Content-Encoding, so every reader gets the compressed bytes as stored. */
    static final String CONTENT_TYPE = "application/gzip";

    private TrackingArchivePipeline() {
    }

    /**
     * Migrates the tracking tables (idempotent), then builds the runner; the caller starts and stops it, and closes
     * the database and the S3 client afterwards.
     *
     * @throws IllegalStateException when the work directory cannot be created or written
     */
    public static Runner<ArchivedEvent> create(TrackingSettings settings, Source source, S3Client s3,
                                               PostgresDatabase db, MeterRegistry registry, Clock clock) {
        TrackingSchema.migrate(db, settings.load());
        S3FileUploader uploader = new S3FileUploader(s3);
        String bucket = settings.bucket();
        RawArchiveSink raw = new RawArchiveSink(settings.archive(),
                WorkDirectory.ready(settings.archive().workDirectory(), "pipelines.tracking.archive.workDirectory",
                        "sluice-tracking-"),
                (file, key, metadata) -> uploader.put(file, bucket, key, CONTENT_TYPE, metadata), registry, clock);
        return Runner.builder(NAME, source, new TrackingEventCheck(), raw,
                        new QueueErrorSink(db.dataSource(), TrackingSchema.REJECTS))
                .settings(settings.runner())
                .metrics(new PipelineMetrics(registry, NAME))
                .clock(clock)
                .build();
    }
}
