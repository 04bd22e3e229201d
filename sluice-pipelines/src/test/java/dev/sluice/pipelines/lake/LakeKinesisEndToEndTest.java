package dev.sluice.pipelines.lake;

import dev.sluice.aws.kinesis.source.KinesisSource;
import dev.sluice.aws.kinesis.source.KinesisSourceSettings;
import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.local.EmbeddedKinesis;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.postgres.PostgresCheckpointStore;
import dev.sluice.postgres.PostgresDatabase;
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
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
        LakeSettings settings = settings(KinesisSourceSettings.of(stream), lake.bucket, dir.resolve("work"));
        KinesisSource source = KinesisSource.builder(settings.kinesis()).client(client)
                .checkpoints(new PostgresCheckpointStore(db.dataSource(), PostgresCheckpointStore.DEFAULT_TABLE))
                .build();
        pipeline = LakePipeline.create(settings, source, lake.s3, db, new LakeErrorSink(db.dataSource()),
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
