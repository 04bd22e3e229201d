package dev.sluice.pipelines.lake;

import dev.sluice.core.dedupe.DedupingSink;
import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.parquet.lake.LakeEvent;
import dev.sluice.parquet.lake.PartitionedParquetWriter;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.pipelines.WorkDirectory;
import dev.sluice.postgres.PostgresSeenEvents;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * The {@code lake} pipeline: a stream (Kinesis, or SQS) → {@link LakeEventParser} → {@link DedupingSink} (by
 * event_uuid, {@code lake_seen}) → {@link LakeSink} (partitioned Parquet files in the bucket). A message is
 * acknowledged (checkpointed) only after its file is stored and its event recorded as seen.
 *
 * <pre>{@code
 * LakePipeline lake = LakePipeline.create(settings, kinesisSource, s3, db, errors, registry, Clock.systemUTC());
 * lake.runner().start();   // … lake.runner().stop(); lake.close();
 * }</pre>
 */
public final class LakePipeline implements AutoCloseable {
    public static final String NAME = "lake";
    /** Where the lake's tables are migrated from, and its Flyway history table. */
    public static final String MIGRATIONS = "db/lake";
    public static final String HISTORY_TABLE = "sluice_history_lake";
    public static final String SEEN_TABLE = "lake_seen";

    private final Runner<LakeEvent> runner;
    private final PartitionedParquetWriter writer;
    private final DedupingSink<LakeEvent> dedupe;

    private LakePipeline(Runner<LakeEvent> runner, PartitionedParquetWriter writer, DedupingSink<LakeEvent> dedupe) {
        this.runner = runner;
        this.writer = writer;
        this.dedupe = dedupe;
    }

    /**
     * Migrates the lake's tables, settles the files a crash left stored but unrecorded ({@link StoringLedger}: their
     * events are recorded, so their messages are dropped when they come again) and builds the runner; the caller
     * starts and stops it, then closes this (the writer's local files) and its clients.
     *
     * @throws IOException  when the work directory cannot be prepared or a file to settle cannot be downloaded
     * @throws SQLException when those files cannot be settled in Postgres
     */
    public static LakePipeline create(LakeSettings settings, Source source, S3Client s3, PostgresDatabase db,
                                      ErrorSink errors, MeterRegistry registry, Clock clock)
            throws IOException, SQLException {
        db.migrate(MIGRATIONS, HISTORY_TABLE);
        Path work = WorkDirectory.ready(settings.workDirectory(), "pipelines.lake.workDirectory", "sluice-lake-");
        PostgresSeenEvents seen = new PostgresSeenEvents(db.dataSource(), SEEN_TABLE);
        StoringLedger ledger = new StoringLedger(db.dataSource());
        ledger.settle(s3, settings.bucket(), seen, work, clock);
        PartitionedParquetWriter writer = new PartitionedParquetWriter(settings.files(),
                ledger.recording(new S3LakeObjectStore(s3, settings.bucket())), work);
        DedupingSink<LakeEvent> dedupe = new DedupingSink<>(new LakeSink(writer, ledger, clock),
                LakePipeline::identity, seen, settings.dedupe(), clock);
        Runner<LakeEvent> runner = Runner.builder(NAME, source, new LakeEventParser(settings.maxFuture(), clock),
                        dedupe, errors)
                .settings(settings.runner())
                .metrics(new PipelineMetrics(registry, NAME))
                .clock(clock)
                .build();
        return new LakePipeline(runner, writer, dedupe);
    }

    /** An event's dedupe identity: its event_uuid, remembered by its event time. */
    static SeenEvent identity(LakeEvent event) {
        return identity(event.eventUuid(), event.createdAt());
    }

    /** The identity of an event read back from a file: its event_uuid and created_at. */
    static SeenEvent identity(String eventUuid, double createdAt) {
        long whole = (long) Math.floor(createdAt);
        return new SeenEvent(eventUuid, Instant.ofEpochSecond(whole, (long) ((createdAt - whole) * 1e9)));
    }

    public Runner<LakeEvent> runner() {
        return runner;
    }

    /** Copies dropped by the dedupe since start. */
    public long duplicates() {
        return dedupe.duplicates();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
