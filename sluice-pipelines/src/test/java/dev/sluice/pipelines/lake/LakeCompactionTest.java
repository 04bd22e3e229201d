package dev.sluice.pipelines.lake;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.job.JobResult;
import dev.sluice.parquet.lake.LakeEvent;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.parquet.lake.PartitionedParquetWriter;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.lake.TestLake.Event;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.job.SingleRunnerJob;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compaction on the embedded S3 and Postgres: every partition of the day ends as one file, every event once. */
@OnEachPostgres
class LakeCompactionTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    private static final String[] TYPES = {"account", "payment", "session"};

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    PostgresDatabase db;
    TestLake lake;
    CompactionSettings settings;
    CompactionLog log;
    final List<Event> events = new ArrayList<>();

    @BeforeEach
    void lakeOfThreeRuns() throws Exception {
        db = new PostgresDatabase(database.settings());
        db.migrate("db/lake", "sluice_history_lake");
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE lake_compactions");
        }
        lake = new TestLake();
        settings = definitionSettings(lake.bucket);
        log = new CompactionLog(db.dataSource(), settings.log(), settings.ledger());
        Random random = new Random(7);
        Instant start = DAY.atStartOfDay().toInstant(ZoneOffset.UTC);
        for (int run = 1; run <= 3; run++) {
            List<Event> batch = new ArrayList<>();
            // Run 3 only brings "account" events of the day, so "payment" and "session" of the day have two files
            // each, "account" three; the next day's partitions have up to three files and are not touched.
            for (int i = 0; i < 60; i++) {
                String type = run == 3 ? "account" : TYPES[random.nextInt(TYPES.length)];
                Instant at = start.plus(Duration.ofMinutes(random.nextInt(2 * 24 * 60)));
                batch.add(new Event(UUID.randomUUID().toString(), type, at));
            }
            lake.store(batch, "shard-000-" + run);
            events.addAll(batch);
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The settings of the lake definition's compact job, on this test's bucket. */
    static CompactionSettings definitionSettings(String bucket) {
        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(),
                "pipelines: {lake: {jobs: [{id: compact, bucket: " + bucket + "}]}}")) {
            ConfigNode job = defined.definitions().definition("lake").at("jobs").elements().getFirst();
            assertThat(job.at("type").text()).contains("compaction");
            return CompactionPlugin.settings(job);
        }
    }

    private LakeCompaction compaction() {
        return compaction(lake.s3);
    }

    /** The definition's job for {@link #DAY} on {@code s3}, as {@code sluice lake compact --day} builds it. */
    private LakeCompaction compaction(S3Client s3) {
        return new LakeCompaction(CompactionPlugin.jobName("lake"), s3, settings, log, DAY, dir.resolve("work"));
    }

    @Test
    void eachPartitionOfTheDayBecomesOneFileAndEveryEventIsThereOnce() throws Exception {
        Map<String, List<String>> before = filesByPartition();

        JobResult result = new SingleRunnerJob(compaction(), db.dataSource()).run();

        Map<String, List<String>> after = filesByPartition();
        String day = compaction().dayPrefix();
        before.forEach((partition, keys) -> {
            if (partition.startsWith(day) && keys.size() > 1) {
                assertThat(after.get(partition)).singleElement().asString().contains("/compacted-");
            } else {
                assertThat(after.get(partition)).isEqualTo(keys);
            }
        });
        long merged = before.entrySet().stream().filter(e -> e.getKey().startsWith(day) && e.getValue().size() > 1)
                .count();
        assertThat(result.summary()).startsWith("day 2026-11-20: " + merged + " partitions compacted");
        assertEveryEventOnce();

        JobResult again = new SingleRunnerJob(compaction(), db.dataSource()).run();
        assertThat(again.summary()).startsWith("day 2026-11-20: 0 partitions compacted");
        assertThat(filesByPartition()).isEqualTo(after);
        assertThat(log.unfinished()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CompactionWorker.CrashPoint.class)
    void aCompactionKilledAtAnyPointIsFinishedByTheNextRunAndNoReaderSeesAnEventTwice(
            CompactionWorker.CrashPoint crash) throws Exception {
        Process worker = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CompactionWorker.class.getName(),
                TestLake.S3.endpoint().toString(), lake.bucket, database.jdbcUrl(), DAY.toString(),
                dir.resolve("worker-work").toString(), crash.name())
                .redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start();
        try {
            assertThat(worker.waitFor(120, TimeUnit.SECONDS)).as("the worker ended; log:%n%s", workerLog()).isTrue();
        } finally {
            worker.destroyForcibly();
        }
        assertThat(worker.exitValue()).as("log:%n%s", workerLog()).isEqualTo(CompactionWorker.HALT_STATUS);
        assertThat(log.unfinished()).as("the killed compaction; log:%n%s", workerLog()).hasSize(1);
        assertEveryEventOnce();

        new SingleRunnerJob(compaction(), db.dataSource()).run();

        String day = compaction().dayPrefix();
        filesByPartition().forEach((partition, keys) -> {
            if (partition.startsWith(day)) {
                assertThat(keys).as(partition).singleElement().asString().contains("/compacted-");
            }
        });
        assertThat(log.unfinished()).isEmpty();
        assertEveryEventOnce();
    }

    /** When the pipeline's replay rewrites an input of the running compaction. */
    enum Rewrite {
        /** after the compaction read the input, before it deletes it */
        BETWEEN_READ_AND_DELETE,
        /** after the compaction deleted the input */
        AFTER_DELETE
    }

    /**
     * The sink stored a file of the day and a crash left it unrecorded; while a compaction merges it, the replay
     * writes the same first record and three more, so it rewrites that key, longer. Each order of the rewrite and the
     * compaction's delete is forced at the delete: after the next run every event is in the lake exactly once.
     */
    @ParameterizedTest
    @EnumSource(Rewrite.class)
    void aReplayRewritingAnInputWhileItIsCompactedLosesAndDoublesNothing(Rewrite when) throws Exception {
        Instant start = DAY.atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Event> replayed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replayed.add(new Event("replayed-" + i, "account", start.plus(Duration.ofMinutes(i))));
        }
        String key = sinkStores(replayed.subList(0, 5));
        events.addAll(replayed);
        ForwardingS3 racing = new ForwardingS3(lake.s3) {
            @Override
            public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
                boolean input = request.key().equals(key);
                if (input && when == Rewrite.BETWEEN_READ_AND_DELETE) {
                    assertThat(sinkStores(replayed)).isEqualTo(key);
                }
                DeleteObjectResponse response = super.deleteObject(request);
                if (input && when == Rewrite.AFTER_DELETE) {
                    assertThat(sinkStores(replayed)).isEqualTo(key);
                }
                return response;
            }
        };

        new SingleRunnerJob(compaction(racing), db.dataSource()).run();
        new SingleRunnerJob(compaction(), db.dataSource()).run();

        assertThat(filesByPartition().get(new Event("", "account", start).partition())).singleElement().asString()
                .contains("/compacted-");
        assertEveryEventOnce();
    }

    /**
     * A file stored before a crash with its events not recorded yet (its lake_storing row left) is not compacted
     * until the pipeline's start settles it; the partition's other files are.
     */
    @Test
    void aFileNotSettledYetIsLeftOutUntilItIs() throws Exception {
        String partition = new Event("", "account", DAY.atStartOfDay().toInstant(ZoneOffset.UTC)).partition();
        List<String> inputs = filesByPartition().get(partition);
        String unsettled = inputs.getFirst();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE lake_storing");
            s.execute("INSERT INTO lake_storing (object_key) VALUES (" + LakeCompaction.sqlString(unsettled) + ")");
        }

        new SingleRunnerJob(compaction(), db.dataSource()).run();

        assertThat(filesByPartition().get(partition)).hasSize(2).contains(unsettled)
                .anySatisfy(key -> assertThat(key).contains("/compacted-"));
        assertEveryEventOnce();
        new StoringLedger(db.dataSource()).settled(unsettled);
        new SingleRunnerJob(compaction(), db.dataSource()).run();
        assertThat(filesByPartition().get(partition)).singleElement().asString().contains("/compacted-");
        assertEveryEventOnce();
    }

    /** The guard above relies on the store honouring If-Match on DeleteObject; s3proxy 4.1.0 does, as S3 does. */
    @Test
    void theStoreDeletesAnObjectOnlyInTheVersionNamed() {
        String key = TestLake.PREFIX + "conditional.parquet";
        String first = lake.s3.putObject(r -> r.bucket(lake.bucket).key(key), RequestBody.fromString("1")).eTag();
        lake.s3.putObject(r -> r.bucket(lake.bucket).key(key), RequestBody.fromString("2"));

        assertThatThrownBy(() -> lake.s3.deleteObject(r -> r.bucket(lake.bucket).key(key).ifMatch(first)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        String second = lake.s3.headObject(r -> r.bucket(lake.bucket).key(key)).eTag();
        lake.s3.deleteObject(r -> r.bucket(lake.bucket).key(key).ifMatch(second));
        assertThat(new LakeFiles(lake.s3, lake.bucket).list(key)).isEmpty();
    }

    /** What the pipeline's sink stores for these events, read from one shard position on: the key of its file. */
    private String sinkStores(List<Event> read) {
        try {
            PartitionedParquetWriter writer = new PartitionedParquetWriter(LakeFileSettings.DEFAULTS,
                    new S3LakeObjectStore(lake.s3, lake.bucket), dir.resolve("sink"));
            for (int i = 0; i < read.size(); i++) {
                Event e = read.get(i);
                String sequence = Integer.toString(100 + i);
                writer.write(new LakeEvent(e.uuid(), e.type() + ":done", e.type(), "done",
                        e.createdAt().getEpochSecond(), e.createdAt().toString(), "{\"n\":1}"), "shardId-9", sequence,
                        new Message("{}", new SourceCoordinates.Stream("s", "shardId-9", sequence), e.createdAt(),
                                sequence), Instant.now());
            }
            writer.rollAll();
            List<String> stored = new ArrayList<>();
            writer.store(true, file -> stored.add(file.key()));
            writer.close();
            return stored.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PermanentFailureException e) {
            throw new IllegalStateException("the test bucket refused the sink's file", e);
        }
    }

    private String workerLog() throws Exception {
        Path file = dir.resolve("worker.log");
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }

    private Map<String, List<String>> filesByPartition() {
        return new LakeFiles(lake.s3, lake.bucket).list(TestLake.PREFIX).stream().collect(Collectors.groupingBy(
                LakeObject::directory, Collectors.mapping(LakeObject::key, Collectors.toList())));
    }

    /** What a reader sees: every event exactly once, in its type's partition. */
    private void assertEveryEventOnce() throws Exception {
        LakeMirror mirror = new LakeMirror(lake.s3, lake.bucket, TestLake.PREFIX, log, dir.resolve("cache"));
        LakeQuery query = new LakeQuery(mirror.sync().root());
        LakeQuery.Result perType = query.run("SELECT event_type, count(*) FROM events GROUP BY 1");
        assertThat(TestLake.countBy(perType.rows(), r -> (String) r.get(0))).isEqualTo(TestLake.countByType(events));
        LakeQuery.Result ids = query.run("SELECT event_uuid FROM events");
        assertThat(ids.rows().stream().map(r -> (String) r.get(0)).toList())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Event::uuid).toList());
    }

    @Test
    void theLogRecordsInputsAndOutputOfEveryCompaction() throws Exception {
        new SingleRunnerJob(compaction(), db.dataSource()).run();

        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT output_key, cardinality(input_keys), state FROM lake_compactions")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getString(1)).startsWith(compaction().dayPrefix()).contains("/compacted-");
                assertThat(rs.getInt(2)).isGreaterThan(1);
                assertThat(rs.getString(3)).isEqualTo("done");
            }
            assertThat(rows).isEqualTo(TYPES.length);
        }
    }

    /**
     * A compact job written with a prefix that is not a folder, or a misspelled setting, stops the definition from
     * loading with the file, line and key; no file of the lake is touched and no compaction is recorded.
     */
    @ParameterizedTest
    @EnumSource(Mistake.class)
    void aBadSettingOfTheJobIsRefusedAtItsKeyAndNothingIsCompacted(Mistake mistake) throws Exception {
        Map<String, List<String>> before = filesByPartition();

        assertThatThrownBy(() -> DefinedPipelines.of(Map.of(), """
                pipelines:
                  lake:
                    jobs:
                      - id: compact
                        bucket: %s
                        %s
                """.formatted(lake.bucket, mistake.yaml)).close())
                .hasMessageStartingWith("test-1.yaml:")
                .hasMessageContaining(mistake.where)
                .hasMessageContaining(mistake.why);

        assertThat(filesByPartition()).isEqualTo(before);
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM lake_compactions")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    enum Mistake {
        PREFIX_NOT_A_FOLDER("prefix: events", "pipelines.lake.jobs[0]", "prefix must be empty or a folder"),
        UNKNOWN_KEY("minFile: 3", "unknown key 'minFile' under pipelines.lake.jobs[0]", "minFile"),
        DAY_NOT_WHOLE("dayPartition: \"year={year}/month={month}/\"", "pipelines.lake.jobs[0]",
                "{day} is missing");

        final String yaml;
        final String where;
        final String why;

        Mistake(String yaml, String where, String why) {
            this.yaml = yaml;
            this.where = where;
            this.why = why;
        }
    }

    /**
     * A merge takes a partition's files in key order until they reach the target size; a file that large already,
     * or a last group smaller than minFiles, is left as it is.
     */
    @Test
    void mergesTakeFilesUpToTheTargetSizeAndAtLeastMinFiles() {
        List<LakeObject> files = List.of(object("p/a", 40), object("p/b", 70), object("p/c", 10), object("p/d", 50),
                object("p/e", 5));

        assertThat(LakeCompaction.groups(files, 2, 100)).containsExactly(List.of("p/a", "p/b"),
                List.of("p/c", "p/d", "p/e"));
        assertThat(LakeCompaction.groups(files, 3, 100)).containsExactly(List.of("p/c", "p/d", "p/e"));
        assertThat(LakeCompaction.groups(files, 2, Long.MAX_VALUE)).containsExactly(
                List.of("p/a", "p/b", "p/c", "p/d", "p/e"));
    }

    private static LakeObject object(String key, long size) {
        return new LakeObject(key, "etag", size, Instant.EPOCH);
    }
}
