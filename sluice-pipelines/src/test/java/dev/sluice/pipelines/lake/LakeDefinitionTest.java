package dev.sluice.pipelines.lake;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import dev.sluice.local.EmbeddedKinesis;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.DefinitionWorker;
import dev.sluice.pipelines.HaltingObjectStores;
import dev.sluice.pipelines.HaltingWorker;
import dev.sluice.pipelines.LocalSections;
import dev.sluice.pipelines.TableQueries;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lake definition ({@code sluice/pipelines/lake.yaml}) against literal values and against its data contract
 * (docs/pipelines/lake.md), run on the embedded Kinesis and S3 and a real Postgres: the same stream, bucket, prefix,
 * partitions, file names, columns, tables and rejects as the lake wired in Java.
 */
@OnEachPostgres
class LakeDefinitionTest {
    private static EmbeddedKinesis kinesisServer;

    @Parameter
    TestDatabase database;

    @BeforeAll
    static void startKinesis() {
        kinesisServer = EmbeddedKinesis.start();
    }

    @AfterAll
    static void stopKinesis() {
        kinesisServer.close();
    }

    /** The definition file, as the jar holds it. */
    static String definition() {
        try (InputStream in = LakeDefinitionTest.class.getResourceAsStream("/sluice/pipelines/lake.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theDefinitionKeepsTheLakesStreamBucketPrefixTablesRunnerAndRoute() {
        ConfigNode lake;
        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(), definition())) {
            lake = defined.definitions().definition("lake");
        }
        assertThat(lake.at("source", "type").text()).contains("kinesis");
        assertThat(lake.at("source", "stream").text()).contains("product-events");
        assertThat(lake.at("source", "checkpoints").text()).contains("postgres");
        assertThat(lake.at("sink", "bucket").text()).contains("lake");
        assertThat(lake.at("sink", "prefix").text()).contains("events/");
        assertThat(lake.at("sink", "format").text()).contains("parquet");
        assertThat(lake.at("sink", "partition").text())
                .contains("year={year}/month={month}/day={day}/event_type={event_type}");
        assertThat(lake.at("sink", "roll", "maxBytes").bind(Long.class)).isEqualTo(128L << 20);
        assertThat(lake.at("sink", "roll", "maxEvents").bind(Integer.class)).isEqualTo(50_000);
        assertThat(lake.at("sink", "roll", "maxAge").bind(Duration.class)).isEqualTo(Duration.ofMinutes(5));
        assertThat(lake.at("sink", "maxOpenFiles").bind(Integer.class)).isEqualTo(100);
        assertThat(lake.at("errors", "table").text()).contains("lake_errors");
        assertThat(lake.at("runner", "receivers").bind(Integer.class)).isEqualTo(1);
        assertThat(lake.at("runner", "writers").bind(Integer.class)).isEqualTo(1);
        assertThat(lake.at("runner", "maxInFlight").bind(Integer.class)).isEqualTo(100_000);
        ConfigNode dedupe = lake.at("processors").elements().getLast();
        assertThat(dedupe.at("table").text()).contains("lake_seen");
        assertThat(dedupe.at("ledger").text()).contains("lake_storing");
        assertThat(dedupe.at("key").text()).contains("event_uuid");
        assertThat(dedupe.at("horizon").bind(Duration.class)).isEqualTo(DedupeSettings.DEFAULTS.horizon());
        assertThat(lake.at("routes").elements().getFirst().at("path").text()).contains("/api/lake/partitions");
    }

    /** Event {@code i}: on one of two days, of one of three names, its created_at in one of three notations. */
    private static String event(int i) {
        String[] names = {"account:created", "payment:order:completed", "heartbeat"};
        String[] fractions = {"", ".5", ".50"};
        return "{\"event_uuid\": \"e-" + i + "\", \"event_name\": \"" + names[i % 3] + "\", \"created_at\": "
                + (i % 2 == 0 ? "1700000000" : "1700960000") + fractions[i % 3] + ", \"amount\": 12.50,"
                + " \"big\": 1e400, \"nested\": {\"level\": " + (i % 2 == 0 ? "3" : "\"high\"") + "}}";
    }

    @Test
    void everyEventLandsOnceInItsEventTimePartitionWithTheContractsColumnsAndRejectsNameFieldAndRule()
            throws Exception {
        int events = 60;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            bodies.add(event(i));
            if (i % 5 == 0) {
                bodies.add(event(i));              // a producer's retry
            }
        }
        Map<String, String> reasonByUuid = new LinkedHashMap<>();
        reasonByUuid.put("\"nul\\u0000inside\"", "event_uuid: must not contain a control character");
        reasonByUuid.put("\"" + "x".repeat(300) + "\"", "event_uuid: longer than 256 characters");
        reasonByUuid.put("\"\"", "event_uuid: must not be empty");
        for (String uuid : reasonByUuid.keySet()) {
            bodies.add("{\"event_uuid\": " + uuid + ", \"event_name\": \"a:b\", \"created_at\": 1700000000}");
        }
        List<String> otherRejects = List.of(
                "{\"event_uuid\": \"r-1\", \"event_name\": \"a::b\", \"created_at\": 1700000000}",
                "{\"event_uuid\": \"r-2\", \"event_name\": \"a:b\", \"created_at\": -1}",
                "{\"event_uuid\": \"r-3\", \"event_name\": \"a:b\", \"created_at\": \"1700000000\"}",
                "{\"event_uuid\": \"r-4\", \"event_name\": \"a:b\", \"created_at\": 99999999999}",
                "{\"event_uuid\": ");
        bodies.addAll(otherRejects);

        try (LakeRun run = new LakeRun(database)) {
            AssembledPipeline lake = run.start();
            run.put(bodies);
            await().atMost(Duration.ofSeconds(90)).until(() -> lake.runner().inFlight() == 0
                    && run.errorRows() == reasonByUuid.size() + otherRejects.size()
                    && run.seenRows() == events);
            lake.close();

            Map<String, Map<String, Object>> stored = run.storedRows();
            assertThat(stored).hasSize(events);
            for (int i = 0; i < events; i++) {
                Map<String, Object> row = stored.get("e-" + i);
                String name = new String[] {"account:created", "payment:order:completed", "heartbeat"}[i % 3];
                String day = i % 2 == 0 ? "14" : "26";
                String[] fractions = {"", ".5", ".50"};
                assertThat(row).as("event %d", i)
                        .containsEntry("event_name", name)
                        .containsEntry("event_subtype", i % 3 == 0 ? "created" : i % 3 == 1 ? "order" : null)
                        .containsEntry("created_datetime", (i % 2 == 0 ? "2023-11-14T22:13:20" : "2023-11-26T00:53:20")
                                + fractions[i % 3] + "Z")
                        .containsEntry("payload", "{\"amount\":12.50,\"big\":1E+400,\"nested\":{\"level\":"
                                + (i % 2 == 0 ? "3" : "\"high\"") + "}}")
                        .containsEntry("folders", "year=2023/month=11/day=" + day + "/event_type=" + name.split(":")[0]);
                BigDecimal seconds = new BigDecimal((i % 2 == 0 ? "1700000000" : "1700960000") + fractions[i % 3]);
                assertThat((Double) row.get("created_at")).isEqualTo(seconds.doubleValue());
                assertThat((String) row.get("file")).matches("shardId-\\d+-\\d+\\.parquet");
            }
            // Hive style: the partition values are in the path only; the columns are the contract's.
            assertThat(run.columns()).containsExactlyInAnyOrderEntriesOf(Map.of("event_uuid", "VARCHAR",
                    "event_name", "VARCHAR", "event_subtype", "VARCHAR", "created_at", "DOUBLE",
                    "created_datetime", "VARCHAR", "payload", "VARCHAR"));

            List<List<String>> errors = run.query("SELECT raw_body, reason, source FROM lake_errors",
                    rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
            for (List<String> row : errors) {
                assertThat(row.get(2)).startsWith("kinesis:" + run.stream + "/shardId-");
                assertThat(row.get(1)).doesNotContain("nul", "xxx", "1700000000", "99999999999");
            }
            List<String> reasons = new ArrayList<>(reasonByUuid.values());
            reasons.addAll(List.of("event_name: does not match the pattern [A-Za-z0-9_-]{1,128}(:[^:]+)*",
                    "created_at: must not be negative", "created_at: expected a number, got a string",
                    "created_at: more than PT24H in the future", "body: not valid JSON"));
            for (String reason : reasons) {
                assertThat(errors).extracting(row -> row.get(1)).anySatisfy(got -> assertThat(got).startsWith(reason));
            }

            assertThat(run.query("SELECT event_key FROM lake_seen", rs -> rs.getString(1)))
                    .hasSize(events).allMatch(key -> key.startsWith("e-"));
            assertThat(run.query("SELECT count(*) FROM lake_storing", rs -> rs.getLong(1))).containsExactly(0L);

            ReadRoute partitions = lake.routes().stream().filter(route -> route.path().equals("/api/lake/partitions"))
                    .findFirst().orElseThrow();
            ReadReply reply = partitions.handle(new ReadRequest(Map.of(), Map.of("day", List.of("2023-11-14"))));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(new String(reply.body(), StandardCharsets.UTF_8))
                    .contains("year=2023/month=11/day=14/event_type=account")
                    .contains("year=2023/month=11/day=14/event_type=heartbeat");
        }
    }

    @Test
    void aStoringRowLeftByTheLakeWiredInJavaIsKeptAndTheStartRefusedUntilItIsSettled() throws Exception {
        try (LakeRun run = new LakeRun(database)) {
            run.execute("DROP TABLE IF EXISTS lake_seen, lake_compactions, lake_errors, lake_storing,"
                    + " sluice_history_lake");
            run.migrateUpTo3();
            run.execute("INSERT INTO lake_storing (object_key) VALUES ('events/year=2023/month=11/day=14/"
                    + "event_type=a/shardId-000000000000-1.parquet')");

            assertThat(org.assertj.core.api.Assertions.catchThrowable(run::start))
                    .hasStackTraceContaining("lake_storing holds 1 file(s) the previous release was storing");
            assertThat(run.query("SELECT count(*) FROM lake_storing", rs -> rs.getLong(1))).containsExactly(1L);

            run.execute("DELETE FROM lake_storing");
            run.start().close();
            assertThat(run.query("SELECT count(*) FROM sluice_history_lake WHERE version = '4' AND success",
                    rs -> rs.getLong(1))).containsExactly(1L);
        }
    }

    @Test
    void aReplayOfTheWholeStreamAfterARestartRewritesNothingAndAddsNothing() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bodies.add(event(i));
        }
        try (LakeRun run = new LakeRun(database)) {
            AssembledPipeline first = run.start();
            run.put(bodies);
            await().atMost(Duration.ofSeconds(90)).until(() -> first.runner().inFlight() == 0 && run.seenRows() == 40);
            first.close();
            Map<String, Instant> files = run.lastModified();

            // A new process whose checkpoints are gone reads the stream again from its start: every event is one
            // lake_seen remembers, so no file is written again and none is added.
            run.execute("DELETE FROM kinesis_checkpoints WHERE stream = '" + run.stream + "'");
            AssembledPipeline replay = run.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> replay.runner().metrics().receivedCount() == 40
                    && replay.runner().inFlight() == 0);
            replay.close();

            assertThat(run.lastModified()).isEqualTo(files);
            assertThat(run.storedRows()).hasSize(40);
        }
    }

    @Test
    void severalWritersAreRefusedAtTheRunnerKeyAndAPartialRunnerKeepsOneOfEach() throws Exception {
        try (LakeRun run = new LakeRun(database)) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run.start(
                    "pipelines: {lake: {runner: {writers: 2}}}"))).hasMessageContaining("pipelines.lake.runner: sink"
                    + " type files needs its writes in source order from source type kinesis, which replays in"
                    + " order: set receivers: 1 and writers: 1 (got 1 and 2)");
            // A partial runner section merges into the definition's (the Java-wired lake's settings record fell back
            // to the engine's 4 and 2 and refused it): it starts, with one receiver and one writer.
            String partial = "pipelines: {lake: {runner: {maxInFlight: 60000}}}";
            run.start(partial).close();
            try (DefinedPipelines defined = DefinedPipelines.of(Map.of(), definition(), partial)) {
                RunnerSettings runner = defined.definitions().definition("lake").at("runner")
                        .bind(RunnerSettings.class);
                assertThat(List.of(runner.receivers(), runner.writers(), runner.maxInFlight()))
                        .containsExactly(1, 1, 60_000);
            }
            assertThat(run.lastModified()).isEmpty();
        }
    }

    /**
     * The crash window between a file's put and the transaction that records its events and drops its ledger row: a
     * worker JVM halted right after its third put leaves that file stored, unrecorded, its row in lake_storing and
     * its records unacknowledged. The next start deletes the file and the replay writes its events again; every
     * event is in the lake once and every row is settled. Without the ledger the stale file could stay beside
     * a replay that cuts its files elsewhere, and double its events.
     */
    @Test
    void aWorkerHaltedRightAfterAPutBeforeTheFileIsRecordedLosesAndDoublesNothing(@TempDir Path logs)
            throws Exception {
        int events = 600;
        try (LakeRun run = new LakeRun(database)) {
            run.put(java.util.stream.IntStream.range(0, events).mapToObj(LakeDefinitionTest::event).toList());
            Path overrides = Files.writeString(logs.resolve("overrides.yaml"), run.overrides);
            Path halting = Files.writeString(logs.resolve("halting.yaml"),
                    "pipelines: {lake: {sink: {store: halting_s3}}}\n");
            Process halted = DefinitionWorker.start(logs, Map.of(HaltingObjectStores.PUTS_VARIABLE, "3"), "lake",
                    overrides, halting);
            try {
                assertThat(halted.waitFor(120, TimeUnit.SECONDS)).as("the worker halted; log:%n%s",
                        Files.readString(logs.resolve("worker.log"))).isTrue();
            } finally {
                halted.destroyForcibly();
            }
            assertThat(halted.exitValue()).isEqualTo(HaltingWorker.HALT_STATUS);
            List<String> stored = List.copyOf(run.lastModified().keySet());
            assertThat(stored).as("three files stored").hasSize(3);
            assertThat((long) run.storedRows().size()).as("the last one's events not recorded")
                    .isGreaterThan(run.seenRows());
            List<String> unrecorded = run.query("SELECT object_key FROM lake_storing", rs -> rs.getString(1));
            assertThat(unrecorded).as("the last one's ledger row left").hasSize(1).isSubsetOf(stored);

            AssembledPipeline lake = run.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> lake.runner().inFlight() == 0
                    && run.seenRows() == events);
            lake.close();

            assertThat(run.storedRows()).as("every event once").hasSize(events);
            // The recorded files stay; the unrecorded one was deleted at start, and its events written again into
            // the replay's files (under its name again when the replay cuts the shard where the first run did).
            List<String> recorded = new ArrayList<>(stored);
            recorded.removeAll(unrecorded);
            assertThat(run.lastModified().keySet()).as("the recorded files are kept").containsAll(recorded);
            assertThat(run.query("SELECT count(*) FROM lake_storing", rs -> rs.getLong(1))).containsExactly(0L);
        }
    }

    /** One run of the definition on a fresh stream and bucket, in the test's database. */
    private static final class LakeRun implements AutoCloseable {
        final String stream = "lake-" + UUID.randomUUID().toString().substring(0, 8);
        final String bucket = "lake-" + UUID.randomUUID().toString().substring(0, 8);
        final KinesisClient kinesis = kinesisServer.newClient();
        final S3Client s3 = TestLake.S3.newClient();
        private final TestDatabase database;
        final String overrides;
        private DefinedPipelines defined;

        LakeRun(TestDatabase database) throws SQLException {
            this.database = database;
            kinesisServer.createStream(stream, 2);
            kinesisServer.awaitActive(stream);
            TestLake.S3.createBucket(bucket);
            if (exists("lake_storing")) {
                execute("DELETE FROM lake_storing; DELETE FROM lake_seen; DELETE FROM lake_errors");
            }
            this.overrides = LocalSections.yaml(Map.of("kinesis", kinesisServer.endpoint(), "s3",
                    TestLake.S3.endpoint()), database.jdbcUrl()) + """
                    pipelines:
                      lake:
                        source: {stream: %s, shardDiscoveryInterval: 500ms, checkpointInterval: 200ms}
                        sink: {bucket: %s, roll: {maxAge: 1s}}
                        routes: [{id: partitions, bucket: %s, readCache: 0s}]
                        runner: {linger: 10ms, backoff: {initial: 50ms, max: 500ms}, stopTimeout: 10s}
                    """.formatted(stream, bucket, bucket);
        }

        AssembledPipeline start() {
            return start("{}");
        }

        /** Starts the definition with {@code more} YAML merged over it and the run's overrides. */
        AssembledPipeline start(String more) {
            close();
            defined = DefinedPipelines.of(Map.of(), definition(), overrides, more);
            return defined.start("lake", UnaryOperator.identity());
        }

        /** When each stored file was last written, by key. */
        Map<String, Instant> lastModified() {
            Map<String, Instant> files = new java.util.TreeMap<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("events/")).contents()
                    .forEach(object -> files.put(object.key(), object.lastModified()));
            return files;
        }

        void put(List<String> bodies) {
            List<PutRecordsRequestEntry> records = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                records.add(PutRecordsRequestEntry.builder().partitionKey("k-" + i)
                        .data(SdkBytes.fromUtf8String(bodies.get(i))).build());
            }
            assertThat(kinesis.putRecords(r -> r.streamName(stream).records(records)).failedRecordCount()).isZero();
        }

        /** The database as the Java-wired lake left it: its migrations V1 to V3. */
        void migrateUpTo3() {
            try (var db = new dev.sluice.postgres.PostgresDatabase(database.settings())) {
                org.flywaydb.core.Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/lake")
                        .table("sluice_history_lake").baselineOnMigrate(true).baselineVersion("0").target("3").load()
                        .migrate();
            }
        }

        long errorRows() {
            return exists("lake_errors") ? query("SELECT count(*) FROM lake_errors", rs -> rs.getLong(1)).getFirst()
                    : 0;
        }

        long seenRows() {
            return exists("lake_seen") ? query("SELECT count(*) FROM lake_seen", rs -> rs.getLong(1)).getFirst() : 0;
        }

        /** Every stored row by event_uuid: its columns, the folders and the name of its file. */
        Map<String, Map<String, Object>> storedRows() throws Exception {
            Map<String, Map<String, Object>> rows = new HashMap<>();
            read("SELECT event_uuid, event_name, event_subtype, created_at, created_datetime, payload, filename"
                    + " FROM read_parquet('%s/**/*.parquet', filename = true, hive_partitioning = false)", (copy, rs) -> {
                String file = rs.getString(7).substring(copy.length() + 1 + "events/".length());
                Map<String, Object> row = new HashMap<>();
                row.put("event_name", rs.getString(2));
                row.put("event_subtype", rs.getString(3));
                row.put("created_at", rs.getDouble(4));
                row.put("created_datetime", rs.getString(5));
                row.put("payload", rs.getString(6));
                row.put("folders", file.substring(0, file.lastIndexOf('/')));
                row.put("file", file.substring(file.lastIndexOf('/') + 1));
                assertThat(rows.put(rs.getString(1), row)).as("a second copy of %s", rs.getString(1)).isNull();
            });
            return rows;
        }

        /** The files' columns and their types, as DuckDB reads them without the path's partitions. */
        Map<String, String> columns() throws Exception {
            Map<String, String> columns = new HashMap<>();
            read("DESCRIBE SELECT * FROM read_parquet('%s/**/*.parquet', hive_partitioning = false)",
                    (copy, rs) -> columns.put(rs.getString(1), rs.getString(2)));
            return columns;
        }

        private interface RowAction {
            void accept(String copy, ResultSet rs) throws SQLException;
        }

        /** Downloads every stored file and runs {@code sql} (its %s: the local copy) over them. */
        private void read(String sql, RowAction action) throws Exception {
            Path copy = TestLake.temporaryDirectory("sluice-lake-read-");
            for (var object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("events/")).contents()) {
                Path file = copy.resolve(object.key());
                Files.createDirectories(file.getParent());
                s3.getObject(r -> r.bucket(bucket).key(object.key()), file);
            }
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 ResultSet rs = duck.createStatement().executeQuery(sql.formatted(copy))) {
                while (rs.next()) {
                    action.accept(copy.toString(), rs);
                }
            }
        }

        <T> List<T> query(String sql, TableQueries.RowReader<T> reader) {
            return TableQueries.query(database::connect, sql, reader);
        }

        boolean exists(String table) {
            return query("SELECT to_regclass('" + table + "') IS NOT NULL", rs -> rs.getBoolean(1)).getFirst();
        }

        void execute(String sql) throws SQLException {
            try (Connection c = database.connect(); var statement = c.createStatement()) {
                statement.execute(sql);
            }
        }

        @Override
        public void close() {
            if (defined != null) {
                defined.close();
                defined = null;
            }
        }
    }
}
