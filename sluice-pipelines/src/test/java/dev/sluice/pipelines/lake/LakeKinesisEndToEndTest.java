package dev.sluice.pipelines.lake;

import dev.sluice.aws.kinesis.source.KinesisSource;
import dev.sluice.aws.kinesis.source.KinesisSourceSettings;
import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.job.JobResult;
import dev.sluice.local.EmbeddedKinesis;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.postgres.PostgresCheckpointStore;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.job.SingleRunnerJob;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Generator → Kinesis emulator (two shards) → lake pipeline → files on the embedded S3 → lake query: every distinct
 * event_uuid once; then the checkpoints are deleted and a new pipeline replays the stream from TRIM_HORIZON: nothing
 * is added or rewritten.
 */
@OnEachPostgres
class LakeKinesisEndToEndTest {
    private static final RunnerSettings QUICK = new RunnerSettings(1, 10_000, 500, Duration.ofMillis(5), 1,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(100)), Duration.ofSeconds(10));
    private static final int EVENTS = 1_500;

    static EmbeddedKinesis kinesis;
    static KinesisClient client;

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    PostgresDatabase db;
    TestLake lake;
    String stream;
    LakePipeline pipeline;

    @BeforeAll
    static void startKinesis() {
        kinesis = EmbeddedKinesis.start();
        client = kinesis.newClient();
    }

    @AfterAll
    static void stopKinesis() {
        client.close();
        kinesis.close();
    }

    @BeforeEach
    void open() throws Exception {
        db = new PostgresDatabase(database.settings());
        db.migrate(LakePipeline.MIGRATIONS, LakePipeline.HISTORY_TABLE);
        PostgresCheckpointStore.migrate(db, PostgresCheckpointStore.DEFAULT_TABLE);
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE lake_seen, lake_compactions, " + PostgresCheckpointStore.DEFAULT_TABLE);
        }
        lake = new TestLake();
        stream = "product-events-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(stream, 2);
        kinesis.awaitActive(stream);
    }

    @AfterEach
    void close() throws Exception {
        stop();
        db.close();
    }

    /** Files close a second after their first record, so a run rolls many; shards are found quickly. */
    static LakeSettings settings(KinesisSourceSettings kinesis, String bucket, Path work) {
        return new LakeSettings(LakeSettings.SourceKind.KINESIS, kinesis.discoveringShardsEvery(Duration.ofMillis(500)),
                null, bucket, new LakeFileSettings(null, null, Duration.ofSeconds(1), 50, 1024L * 1024, null),
                DedupeSettings.DEFAULTS, null, work, QUICK);
    }

    private void start() throws Exception {
        start(lake.s3);
    }

    private void start(S3Client s3) throws Exception {
        LakeSettings settings = settings(KinesisSourceSettings.of(stream), lake.bucket, dir.resolve("work"));
        KinesisSource source = KinesisSource.builder(settings.kinesis()).client(client)
                .checkpoints(new PostgresCheckpointStore(db.dataSource(), PostgresCheckpointStore.DEFAULT_TABLE))
                .build();
        pipeline = LakePipeline.create(settings, source, s3, db, new LakeErrorSink(db.dataSource()),
                new SimpleMeterRegistry(), Clock.systemUTC());
        pipeline.runner().start();
    }

    private void stop() throws Exception {
        if (pipeline != null) {
            pipeline.runner().stop();
            pipeline.close();
            pipeline = null;
        }
    }

    /** Puts generated events, 500 per PutRecords keyed by event_uuid; returns the distinct ids by event type. */
    private Map<String, Set<String>> putGenerated() {
        LakeEventGenerator generator = new LakeEventGenerator(11, 100, 0.05, 0.1);
        Map<String, Set<String>> byType = new HashMap<>();
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            LakeEventGenerator.Generated e = generator.next(Instant.now());
            byType.computeIfAbsent(e.eventName().substring(0, e.eventName().indexOf(':')),
                    t -> new LinkedHashSet<>()).add(e.eventUuid());
            batch.add(PutRecordsRequestEntry.builder().partitionKey(e.eventUuid())
                    .data(SdkBytes.fromUtf8String(e.body())).build());
            if (batch.size() == 500) {
                List<PutRecordsRequestEntry> records = List.copyOf(batch);
                assertThat(client.putRecords(r -> r.streamName(stream).records(records)).failedRecordCount())
                        .isZero();
                batch.clear();
            }
        }
        return byType;
    }

    private void awaitAllStored() {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(pipeline.runner().metrics().receivedCount()).isEqualTo(EVENTS);
            assertThat(pipeline.runner().inFlight()).isZero();
        });
    }

    private void assertLakeHoldsEachOnce(Map<String, Set<String>> byType) throws Exception {
        LakeMirror mirror = new LakeMirror(lake.s3, lake.bucket, TestLake.PREFIX, new CompactionLog(db.dataSource()),
                dir.resolve("cache"));
        LakeQuery query = new LakeQuery(mirror.sync().root());
        List<String> ids = query.run("SELECT event_uuid FROM events").rows().stream().map(r -> (String) r.get(0))
                .toList();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(
                byType.values().stream().flatMap(Set::stream).toList());
        Map<String, Long> perType = byType.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> (long) e.getValue().size()));
        assertThat(TestLake.countBy(query.run("SELECT event_type, count(*) FROM events GROUP BY 1").rows(),
                r -> (String) r.get(0))).isEqualTo(perType);
    }

    @Test
    void aWorkerKilledInTheMiddleOfARollLosesAndDoublesNothingAfterTheRestart() throws Exception {
        Map<String, Set<String>> byType = putGenerated();
        Process worker = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), LakeWorker.class.getName(),
                kinesis.endpoint().toString(), stream, TestLake.S3.endpoint().toString(), lake.bucket,
                database.jdbcUrl(), dir.resolve("worker-work").toString(), "3")
                .redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start();
        try {
            assertThat(worker.waitFor(120, TimeUnit.SECONDS)).as("the worker ended; log:%n%s", workerLog()).isTrue();
        } finally {
            worker.destroyForcibly();
        }
        assertThat(worker.exitValue()).as("log:%n%s", workerLog()).isEqualTo(LakeWorker.HALT_STATUS);
        assertThat(new LakeFiles(lake.s3, lake.bucket).list(TestLake.PREFIX)).as("objects stored before the kill")
                .hasSize(3);

        start();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertLakeHoldsEachOnce(byType));
        await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.runner().inFlight() == 0);
        // Every object DuckDB read above is whole: a PutObject is all or nothing, and a stored object that was not
        // recorded was replaced by its replay under the same name.
        assertLakeHoldsEachOnce(byType);
    }

    /**
     * The whole pipeline fed in rounds while compactions of the day's partitions run one after another the whole
     * time, with two replays: in round 2 the bucket refuses the pipeline's puts (AccessDenied) until the runner gives
     * the closed files up, which rewinds their shards (records stored, in open files and in the given-up files are
     * all read again); in round 4 the pipeline stops, its checkpoints are deleted, and a new one reads the stream
     * again from TRIM_HORIZON while the rounds and the compactions go on. After each round the feeder waits (by
     * counts) until the pipeline has stored what it read and a compaction run has started and ended after that, so
     * every round is merged by a compaction that races the next round's files. At the end, readers see every event
     * once, and after a last compaction every partition is one file holding every event exactly once.
     */
    @Test
    void compactionsRunningTheWholeTimeNextToAFedPipelineAndAReplayLoseAndDoubleNothing() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        int rounds = 8;
        int perRound = 100;
        Random random = new Random(5);
        Map<String, Set<String>> byType = new HashMap<>();
        List<String> bodies = new ArrayList<>();
        long put = 0;
        CompactionLog compactions = new CompactionLog(db.dataSource());
        AtomicBoolean compacting = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger mergingRuns = new AtomicInteger();
        List<Exception> compactionFailures = new CopyOnWriteArrayList<>();
        Thread compactor = Thread.ofPlatform().name("compactor").start(() -> {
            while (compacting.get()) {
                try {
                    JobResult result = new SingleRunnerJob(new LakeCompaction(lake.s3, lake.bucket, TestLake.PREFIX,
                            compactions, day, dir.resolve("compaction")), db.dataSource()).run();
                    if (!result.summary().contains(": 0 partitions compacted")) {
                        mergingRuns.incrementAndGet();
                    }
                } catch (Exception e) {
                    compactionFailures.add(e);
                }
                runs.incrementAndGet();
            }
        });
        AtomicBoolean refusing = new AtomicBoolean();
        S3Client refusable = new ForwardingS3(lake.s3) {
            @Override
            public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
                if (refusing.get()) {
                    throw (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").build()).build();
                }
                return super.putObject(request, body);
            }
        };
        try {
            start(refusable);
            for (int round = 0; round < rounds; round++) {
                refusing.set(round == 2);
                List<PutRecordsRequestEntry> batch = new ArrayList<>();
                for (int i = round * perRound; i < (round + 1) * perRound; i++) {
                    String uuid = "live-" + i;
                    String type = "type" + (i % 3);
                    byType.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(uuid);
                    bodies.add("{\"event_uuid\":\"" + uuid + "\",\"event_name\":\"" + type + ":sub\",\"created_at\":"
                            + (dayStart + 60 + i) + ",\"n\":" + i + "}");
                    batch.add(record(uuid, bodies.getLast()));
                }
                for (int copy = 0; copy < 10; copy++) {
                    int original = random.nextInt(bodies.size());
                    batch.add(record("live-" + original, bodies.get(original)));
                }
                assertThat(client.putRecords(r -> r.streamName(stream).records(batch)).failedRecordCount()).isZero();
                put += batch.size();
                if (refusing.get()) {
                    await().atMost(Duration.ofSeconds(120))
                            .until(() -> pipeline.runner().metrics().givenUpCount() > 0);
                    refusing.set(false);
                }
                if (round == rounds / 2) {
                    stop();
                    try (Connection c = database.connect(); Statement s = c.createStatement()) {
                        s.execute("DELETE FROM " + PostgresCheckpointStore.DEFAULT_TABLE);
                    }
                    start();
                }
                awaitStored(put);
                int before = runs.get();
                await().atMost(Duration.ofSeconds(120)).until(() -> runs.get() >= before + 2);
            }
        } finally {
            compacting.set(false);
            compactor.join();
        }
        assertThat(compactionFailures).isEmpty();
        assertThat(mergingRuns.get()).as("runs that merged files").isGreaterThanOrEqualTo(rounds);
        assertThat(pipeline.duplicates()).as("the records stored before the replay are all dropped when read again")
                .isGreaterThanOrEqualTo((long) (rounds / 2) * (perRound + 10));
        assertLakeHoldsEachOnce(byType);

        new SingleRunnerJob(new LakeCompaction(lake.s3, lake.bucket, TestLake.PREFIX, compactions, day,
                dir.resolve("compaction")), db.dataSource()).run();
        Map<String, List<String>> byPartition = new LakeFiles(lake.s3, lake.bucket).list(TestLake.PREFIX).stream()
                .collect(Collectors.groupingBy(LakeObject::directory,
                        Collectors.mapping(LakeObject::key, Collectors.toList())));
        assertThat(byPartition).hasSize(3).allSatisfy((partition, keys) ->
                assertThat(keys).singleElement().asString().contains("/compacted-"));
        assertThat(rowsOfEveryObject()).as("rows across all objects").hasSize(rounds * perRound)
                .containsExactlyInAnyOrderElementsOf(byType.values().stream().flatMap(Set::stream).toList());
    }

    private static PutRecordsRequestEntry record(String partitionKey, String body) {
        return PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromUtf8String(body)).build();
    }

    /** Until the running pipeline has read {@code records} (or more: reads after a rewind count too) and stored them. */
    private void awaitStored(long records) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(pipeline.runner().metrics().receivedCount()).isGreaterThanOrEqualTo(records);
            assertThat(pipeline.runner().inFlight()).isZero();
        });
    }

    /** The event_uuid of every row of every object in the bucket, compaction inputs or not. */
    private List<String> rowsOfEveryObject() throws Exception {
        Path objects = Files.createDirectories(dir.resolve("objects"));
        List<String> files = new ArrayList<>();
        for (LakeObject o : new LakeFiles(lake.s3, lake.bucket).list(TestLake.PREFIX)) {
            Path local = objects.resolve(files.size() + ".parquet");
            lake.s3.getObject(r -> r.bucket(lake.bucket).key(o.key()), local);
            files.add(LakeCompaction.sqlString(local.toString()));
        }
        List<String> ids = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_uuid FROM read_parquet([" + String.join(", ", files)
                     + "])")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private String workerLog() throws Exception {
        Path file = dir.resolve("worker.log");
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }

    @Test
    void everyDistinctEventOnceAndAReplayFromTrimHorizonAfterLosingTheCheckpointsAddsNothing() throws Exception {
        Map<String, Set<String>> byType = putGenerated();
        long distinct = byType.values().stream().mapToLong(Set::size).sum();
        assertThat(distinct).as("the generator sent duplicates").isLessThan(EVENTS);
        start();
        awaitAllStored();
        assertThat(pipeline.duplicates()).isEqualTo(EVENTS - distinct);
        assertLakeHoldsEachOnce(byType);
        Map<String, String> objects = new LakeFiles(lake.s3, lake.bucket).list(TestLake.PREFIX).stream()
                .collect(Collectors.toMap(LakeObject::key, LakeObject::etag));

        stop();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + PostgresCheckpointStore.DEFAULT_TABLE);
        }
        start();
        awaitAllStored();

        assertThat(pipeline.duplicates()).as("every replayed record is a copy of a stored event").isEqualTo(EVENTS);
        assertLakeHoldsEachOnce(byType);
        assertThat(new LakeFiles(lake.s3, lake.bucket).list(TestLake.PREFIX).stream()
                .collect(Collectors.toMap(LakeObject::key, LakeObject::etag))).as("no object added or rewritten")
                .isEqualTo(objects);
    }
}
