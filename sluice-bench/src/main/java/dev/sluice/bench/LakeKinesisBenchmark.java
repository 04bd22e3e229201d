package dev.sluice.bench;

import dev.sluice.aws.kinesis.source.KinesisSource;
import dev.sluice.aws.kinesis.source.KinesisSourceSettings;
import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.local.EmbeddedKinesis;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.pipelines.lake.CompactionLog;
import dev.sluice.pipelines.lake.LakeErrorSink;
import dev.sluice.pipelines.lake.LakeEventGenerator;
import dev.sluice.pipelines.lake.LakeMirror;
import dev.sluice.pipelines.lake.LakePipeline;
import dev.sluice.pipelines.lake.LakeQuery;
import dev.sluice.pipelines.lake.LakeSettings;
import dev.sluice.postgres.PostgresCheckpointStore;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Kinesis end to end into the lake (docs/benchmarks.md, "Kinesis end to end (lake)"): events/s from a Kinesis
 * stream on the kinesis-local emulator through the {@link LakePipeline} into Parquet files on the embedded S3,
 * against a bare GetRecords loop over the same stream in the same run. In a temp directory: an {@link EmbeddedStack}
 * (PostgreSQL 17 for checkpoints and dedupe), {@link EmbeddedS3} (s3proxy) and {@link EmbeddedKinesis}
 * (kinesis-local):
 * <ol>
 *   <li><b>Put</b> (once): {@code --events} bodies of the {@link LakeEventGenerator} (100 names, 1% duplicates, 5%
 *       late), PutRecords of 500 keyed by event_uuid into a stream of {@code --shards} shards; the put rate is
 *       reported too, since the emulator is slow to take records.</li>
 *   <li>Per run: <b>raw</b>: one virtual thread per shard looping GetRecords from TRIM_HORIZON (as many records
 *       per call as the pipeline asks for, no pacing, no processing) until every shard is read to its end: the
 *       limit;</li>
 *   <li><b>pipeline</b>: a fresh bucket, checkpoint and dedupe tables, then {@link KinesisSource} from
 *       TRIM_HORIZON with {@link PostgresCheckpointStore} → {@link LakePipeline} with its default settings but files
 *       rolled at 1 s of age, timed from start until it has received every record and acknowledged them all (every
 *       file stored, every event recorded as seen); then, untimed, the lake is mirrored and read back with {@link LakeQuery}: it must hold every
 *       distinct event_uuid exactly once.</li>
 * </ol>
 *
 * <p>Usage: {@code lake-kinesis [--events 20000] [--shards 2] [--runs 3] [--seed 42]}.
 */
final class LakeKinesisBenchmark {
    static final String NAME = "lake-kinesis";
    private static final String STREAM = "bench-events";
    private static final int PUT_BATCH = 500;
    private static final double DUPLICATE_RATE = 0.01;
    private static final double LATE_RATE = 0.05;
    private static final Duration PIPELINE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POLL_EVERY = Duration.ofMillis(50);
    /** Defaults but a 1-second file age, so files are stored soon after the last record, as in a steady stream. */
    private static final LakeFileSettings FILES = new LakeFileSettings(null, null, Duration.ofSeconds(1), null, null,
            null);

    record Run(long records, long rawNanos, long pipelineNanos, long stored, long files, String load) {
        double rawPerSecond() {
            return records / (rawNanos / 1e9);
        }

        double pipelinePerSecond() {
            return records / (pipelineNanos / 1e9);
        }

        double ratio() {
            return pipelinePerSecond() / rawPerSecond();
        }
    }

    /** What was put: how many records, how many distinct events, in how long. */
    record Put(long records, Set<String> distinct, long nanos, String load) {
        double perSecond() {
            return records / (nanos / 1e9);
        }
    }

    private LakeKinesisBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.forCommand(args, NAME, "[--events 20000] [--shards 2] [--runs 3] [--seed 42]");
        int events = options.intValue("events", 20_000);
        int shards = options.intValue("shards", 2);
        int runs = options.intValue("runs", 3);
        long seed = options.intValue("seed", 42);
        String started = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        say("# Sluice Kinesis end-to-end (lake) benchmark, " + started);
        say(MachineFacts.describe());
        Path base = Files.createTempDirectory("sluice-kinesis-bench-");
        // S3 and Kinesis are started one after the other: EmbeddedStack starts them in parallel, and that hung twice
        // here in building their SDK clients at the same time.
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base.resolve("stack")).start();
             EmbeddedS3 lake = EmbeddedS3.start(base.resolve("s3"));
             EmbeddedKinesis kinesis = EmbeddedKinesis.start()) {
            kinesis.createStream(STREAM, shards);
            try (KinesisClient client = kinesis.newClient(); S3Client s3 = lake.newClient();
                 PostgresDatabase db = new PostgresDatabase(new PostgresSettings(stack.postgres().jdbcUrl()))) {
                PostgresCheckpointStore.migrate(db, PostgresCheckpointStore.DEFAULT_TABLE);
                db.migrate(LakePipeline.MIGRATIONS, LakePipeline.HISTORY_TABLE);
                Put put = put(client, events, seed);
                say(String.format(Locale.ROOT, "put: %,d records (%,d distinct events) in %.1f s: %,.0f records/s; "
                        + "load %s", put.records(), put.distinct().size(), put.nanos() / 1e9, put.perSecond(),
                        put.load()));
                List<Run> results = new ArrayList<>();
                for (int run = 1; run <= runs; run++) {
                    Run result = run(run, lake, client, s3, db, put, base.resolve("run-" + run));
                    results.add(result);
                    say(String.format(Locale.ROOT, "run %d: raw GetRecords %,.0f records/s, pipeline %,.0f "
                                    + "events/s, ratio %.2f; %d files; load %s", run, result.rawPerSecond(),
                            result.pipelinePerSecond(), result.ratio(), result.files(), result.load()));
                }
                say(report(started, events, shards, put, results));
            }
        } finally {
            LoginsBenchmark.deleteRecursively(base);
        }
    }

    /** Puts the generated events in batches of {@link #PUT_BATCH}, resending what the emulator refused. */
    private static Put put(KinesisClient client, int events, long seed) {
        LakeEventGenerator generator = new LakeEventGenerator(seed, 100, DUPLICATE_RATE, LATE_RATE);
        List<PutRecordsRequestEntry> bodies = new ArrayList<>(events);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < events; i++) {
            LakeEventGenerator.Generated e = generator.next(Instant.now());
            distinct.add(e.eventUuid());
            bodies.add(PutRecordsRequestEntry.builder().partitionKey(e.eventUuid())
                    .data(SdkBytes.fromUtf8String(e.body())).build());
        }
        long start = System.nanoTime();
        for (int from = 0; from < bodies.size(); from += PUT_BATCH) {
            putAll(client, STREAM, bodies.subList(from, Math.min(from + PUT_BATCH, bodies.size())));
        }
        return new Put(events, distinct, System.nanoTime() - start, MachineFacts.loadAverage());
    }

    private static Run run(int run, EmbeddedS3 lake, KinesisClient client, S3Client s3, PostgresDatabase db,
                           Put put, Path dir) throws Exception {
        String loadBefore = MachineFacts.loadAverage();
        KinesisSourceSettings source = KinesisSourceSettings.of(STREAM);
        long rawNanos = rawRead(client, source.recordsPerCall(), put.records());

        String bucket = "lake-run-" + run;
        lake.createBucket(bucket);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + LakePipeline.SEEN_TABLE + ", lake_compactions, "
                    + PostgresCheckpointStore.DEFAULT_TABLE);
        }
        LakeSettings settings = new LakeSettings(LakeSettings.SourceKind.KINESIS, source, null, bucket,
                FILES, DedupeSettings.DEFAULTS, null, dir.resolve("work"), null);
        long pipelineNanos = pipeline(settings, client, s3, db, put.records());

        LakeMirror mirror = new LakeMirror(s3, bucket, LakeFileSettings.DEFAULT_PREFIX,
                new CompactionLog(db.dataSource()), dir.resolve("mirror"));
        LakeMirror.Result mirrored = mirror.sync();
        LakeQuery.Result counts = new LakeQuery(mirrored.root())
                .run("SELECT count(*), count(DISTINCT event_uuid) FROM events");
        long rows = ((Number) counts.rows().getFirst().get(0)).longValue();
        long distinct = ((Number) counts.rows().getFirst().get(1)).longValue();
        if (rows != put.distinct().size() || distinct != put.distinct().size()) {
            throw new IllegalStateException("run " + run + ": the lake holds " + rows + " rows, " + distinct
                    + " distinct event_uuids, of " + put.distinct().size() + " distinct events put");
        }
        return new Run(put.records(), rawNanos, pipelineNanos, distinct, mirrored.files(),
                loadBefore + " → " + MachineFacts.loadAverage());
    }

    /**
     * The limit: per shard a virtual thread loops GetRecords from TRIM_HORIZON until the shard answers nothing and
     * is not behind; returns the nanoseconds until every shard was read, after checking all records came back.
     */
    private static long rawRead(KinesisClient client, int recordsPerCall, long expected) {
        List<Shard> shards = client.listShards(b -> b.streamName(STREAM)).shards();
        AtomicLong read = new AtomicLong();
        long start = System.nanoTime();
        List<Future<?>> loops = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Shard shard : shards) {
                loops.add(threads.submit(() -> {
                    String iterator = client.getShardIterator(b -> b.streamName(STREAM).shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                    while (iterator != null) {
                        String current = iterator;
                        var response = client.getRecords(b -> b.shardIterator(current).limit(recordsPerCall));
                        read.addAndGet(response.records().size());
                        if (response.records().isEmpty() && response.millisBehindLatest() == 0) {
                            return null;
                        }
                        iterator = response.nextShardIterator();
                    }
                    return null;
                }));
            }
        }
        loops.forEach(Futures::join);
        long nanos = System.nanoTime() - start;
        if (read.get() != expected) {
            throw new IllegalStateException("the raw GetRecords loop read " + read.get() + " of " + expected
                    + " records");
        }
        return nanos;
    }

    /** Runs the lake pipeline until it received {@code records}, stops it (storing every file); returns the nanos. */
    /**
     * Puts {@code records} (at most 500), again and again for those the stream refused (throttling); returns where
     * each one went (shard and sequence number), in no particular order.
     */
    static List<PutRecordsResultEntry> putAll(KinesisClient client, String stream,
                                              List<PutRecordsRequestEntry> records) {
        List<PutRecordsResultEntry> stored = new ArrayList<>(records.size());
        List<PutRecordsRequestEntry> batch = records;
        while (!batch.isEmpty()) {
            List<PutRecordsRequestEntry> sending = batch;
            List<PutRecordsResultEntry> results = client.putRecords(r -> r.streamName(stream).records(sending))
                    .records();
            List<PutRecordsRequestEntry> refused = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    refused.add(sending.get(i));
                } else {
                    stored.add(results.get(i));
                }
            }
            batch = refused;
        }
        return stored;
    }

    private static long pipeline(LakeSettings settings, KinesisClient client, S3Client s3, PostgresDatabase db,
                                 long records) throws Exception {
        KinesisSource source = KinesisSource.builder(settings.kinesis()).client(client)
                .checkpoints(new PostgresCheckpointStore(db.dataSource(), PostgresCheckpointStore.DEFAULT_TABLE))
                .build();
        long start = System.nanoTime();
        try (LakePipeline pipeline = LakePipeline.create(settings, source, s3, db,
                new LakeErrorSink(db.dataSource()), new SimpleMeterRegistry(), Clock.systemUTC())) {
            pipeline.runner().start();
            long deadline = start + PIPELINE_TIMEOUT.toNanos();
            // A record is in flight until its file is stored and it is acknowledged: none in flight after all
            // were received means every event is in a stored file.
            while (pipeline.runner().metrics().receivedCount() < records || pipeline.runner().inFlight() > 0) {
                if (System.nanoTime() > deadline) {
                    pipeline.runner().stop();
                    throw new IllegalStateException("the pipeline received " + pipeline.runner().metrics()
                            .receivedCount() + " of " + records + " records and acknowledged all but "
                            + pipeline.runner().inFlight() + " within " + PIPELINE_TIMEOUT);
                }
                Thread.sleep(POLL_EVERY);
            }
            long nanos = System.nanoTime() - start;
            pipeline.runner().stop();
            if (pipeline.runner().metrics().rejectedCount() > 0) {
                throw new IllegalStateException("the pipeline rejected " + pipeline.runner().metrics().rejectedCount()
                        + " records");
            }
            return nanos;
        }
    }

    static String report(String started, int events, int shards, Put put, List<Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("\n## The `lake-kinesis` benchmark: results ").append(started).append("\n\n");
        MachineFacts.describe().lines().forEach(line -> out.append("- ").append(line).append('\n'));
        out.append(String.format(Locale.ROOT, "- Stream: %d shards on kinesis-local; %,d records put (%,d distinct "
                        + "events, %.0f%% duplicates, %.0f%% late), PutRecords of %d: %.1f s, **%,.0f records/s** "
                        + "(load after: %s)%n%n", shards, events, put.distinct().size(), DUPLICATE_RATE * 100,
                LATE_RATE * 100, PUT_BATCH, put.nanos() / 1e9, put.perSecond(), put.load()));
        out.append("| run | raw GetRecords s | raw records/s | pipeline s | pipeline events/s | ratio | files "
                + "| load 1/5/15 before → after |\n|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            out.append(String.format(Locale.ROOT, "| %d | %.2f | %,.0f | %.2f | %,.0f | %.2f | %d | %s |%n", i + 1,
                    r.rawNanos() / 1e9, r.rawPerSecond(), r.pipelineNanos() / 1e9, r.pipelinePerSecond(), r.ratio(),
                    r.files(), r.load()));
        }
        out.append(String.format(Locale.ROOT, "| **median** | | %,.0f | | %,.0f | **%.2f** | | |%n",
                median(runs, Run::rawPerSecond), median(runs, Run::pipelinePerSecond), median(runs, Run::ratio)));
        return out.toString();
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        return LoginsBenchmark.median(runs.stream().mapToDouble(value).toArray());
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
