package dev.sluice.pipelines.examples;

import dev.sluice.core.engine.Runner;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.local.EmbeddedKinesis;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.TableQueries;
import dev.sluice.postgres.testing.TestDatabase;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user's example file docs/examples/clicks.yaml, read from the repository as it is, run on the embedded Kinesis
 * (a fresh two-shard stream per harness), the embedded S3 (a fresh bucket) and a real Postgres database. The
 * environment is what {@code sluice local} writes, which the file reads; the only YAML merged over it names the
 * fresh stream and bucket and shortens the timings. Reads the stored Parquet files back with DuckDB.
 */
final class ClicksHarness implements AutoCloseable {
    static final EmbeddedS3 S3 = EmbeddedS3.start(temporaryDirectory("sluice-clicks-s3-"));
    static final Path EXAMPLE = Path.of(System.getProperty("sluice.root"), "docs", "examples", "clicks.yaml");
    static final String PREFIX = "clicks/";

    /** One stored click: its columns, and the folders of its file. */
    record Click(String clickId, String country, String day, String type, String target, String page,
                 long clickedAtMicros, String folders) {
    }

    final String stream = "clicks-" + UUID.randomUUID().toString().substring(0, 8);
    final String bucket = "clicks-" + UUID.randomUUID().toString().substring(0, 8);
    final Map<String, String> environment = new HashMap<>();
    /** Merged over the example: the fresh stream and bucket, files closing quickly, quick retries. */
    final String overrides;
    final KinesisClient kinesis;
    final S3Client s3 = S3.newClient();
    private final TestDatabase database;
    /** The last sequence number put to each shard. */
    private final Map<String, BigDecimal> lastPut = new HashMap<>();
    private DefinedPipelines defined;
    private AssembledPipeline pipeline;

    /** @param emulator a test class's Kinesis emulator, started before all its tests and closed after them */
    ClicksHarness(TestDatabase database, EmbeddedKinesis emulator) {
        this.database = database;
        this.kinesis = emulator.newClient();
        environment.putAll(emulator.environment());
        environment.putAll(S3.environment());
        environment.put("SLUICE_POSTGRES_URL", database.jdbcUrl());
        emulator.createStream(stream, 2);
        emulator.awaitActive(stream);
        S3.createBucket(bucket);
        this.overrides = """
                aws: {accessKeyId: "%s", secretAccessKey: "%s"}
                pipelines:
                  clicks:
                    source: {stream: %s, shardDiscoveryInterval: 500ms, checkpointInterval: 200ms}
                    sink: {bucket: %s, roll: {maxEvents: 250, maxAge: 1s}}
                    routes: [{id: partitions, bucket: %s, readCache: 0s}]
                    runner: {maxInFlight: 5000, linger: 10ms, backoff: {initial: 50ms, max: 500ms}, stopTimeout: 10s}
                """.formatted(environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"), stream,
                bucket, bucket);
    }

    /** Starts the pipeline as a new process would: the definitions read again, with new clients and pools. */
    Runner<Event> start() {
        defined = DefinedPipelines.of(environment, example(), overrides);
        return startDefined();
    }

    /** Builds the pipeline with {@code more} YAML merged over the example and the overrides, and starts it. */
    Runner<Event> start(String more) {
        defined = DefinedPipelines.of(environment, example(), overrides, more);
        return startDefined();
    }

    private Runner<Event> startDefined() {
        pipeline = defined.start("clicks", UnaryOperator.identity());
        return pipeline.runner();
    }

    /** The pipeline's read route at {@code path}, as the server mounts it. */
    ReadRoute route(String path) {
        return pipeline.routes().stream().filter(route -> route.path().equals(path)).findFirst().orElseThrow();
    }

    /** Stops the pipeline gracefully (its open files are stored) and closes what it shared. */
    void stop() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        if (defined != null) {
            defined.close();
            defined = null;
        }
    }

    /** Puts each body as one record, keyed by its index, 500 per PutRecords. */
    void put(List<String> bodies) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            batch.add(PutRecordsRequestEntry.builder().partitionKey("k-" + i)
                    .data(SdkBytes.fromUtf8String(bodies.get(i))).build());
            if (batch.size() == 500 || i == bodies.size() - 1) {
                List<PutRecordsRequestEntry> records = List.copyOf(batch);
                var response = kinesis.putRecords(r -> r.streamName(stream).records(records));
                assertThat(response.failedRecordCount()).isZero();
                for (PutRecordsResultEntry put : response.records()) {
                    lastPut.merge(put.shardId(), new BigDecimal(put.sequenceNumber()), BigDecimal::max);
                }
                batch.clear();
            }
        }
    }

    /** Shards whose checkpoint is short of the last record put to them: 0 once everything put is handled. */
    long shardsBehind() {
        Map<String, BigDecimal> checkpoints = new HashMap<>();
        if (exists("kinesis_checkpoints")) {
            TableQueries.query(database::connect, "SELECT shard_id, sequence_number FROM kinesis_checkpoints"
                    + " WHERE stream = ? AND sequence_number IS NOT NULL", rs -> checkpoints.put(rs.getString(1),
                    rs.getBigDecimal(2)), stream);
        }
        return lastPut.entrySet().stream().filter(e -> checkpoints.getOrDefault(e.getKey(), BigDecimal.ZERO)
                .compareTo(e.getValue()) < 0).count();
    }

    /** Waits until every record put is handled: stored or rejected, and checkpointed. */
    void awaitHandled() {
        await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.runner().inFlight() == 0 && shardsBehind() == 0);
    }

    /** The click ids the dedupe recorded: those of stored files. */
    long storedIds() {
        if (!exists("sluice_seen_events")) {
            return 0;                      // no worker got as far as creating it
        }
        return TableQueries.query(database::connect, "SELECT count(*) FROM sluice_seen_events", rs -> rs.getLong(1))
                .getFirst();
    }

    /** The objects in dedupe's storing ledger (stored or being stored, ids not recorded), without the pipeline. */
    List<String> ledger() {
        return query("SELECT substr(object_key, length('clicks/') + 1) FROM sluice_seen_events_storing",
                rs -> rs.getString(1));
    }

    long errorRows() {
        return TableQueries.query(database::connect, "SELECT count(*) FROM clicks_errors", rs -> rs.getLong(1))
                .getFirst();
    }

    <T> List<T> query(String sql, TableQueries.RowReader<T> reader, Object... params) {
        return TableQueries.query(database::connect, sql, reader, params);
    }

    /** The keys of the stored files. */
    List<String> keys() {
        return List.copyOf(lastModified().keySet());
    }

    /** When each stored file was last written, by key. */
    Map<String, Instant> lastModified() {
        Map<String, Instant> files = new TreeMap<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(PREFIX)).contents()
                .forEach(object -> files.put(object.key(), object.lastModified()));
        return files;
    }

    /** Deletes the stream's checkpoints, as if the pipeline had never run. */
    void forgetCheckpoints() {
        TableQueries.query(database::connect, "DELETE FROM kinesis_checkpoints WHERE stream = ? RETURNING 1",
                rs -> 1, stream);
    }

    private boolean exists(String table) {
        return TableQueries.query(database::connect, "SELECT to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1),
                table).getFirst();
    }

    private void execute(String sql) {
        try (Connection c = database.connect(); var statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of every stored file, read back by DuckDB. */
    List<Click> clicks() {
        Path copy = temporaryDirectory("sluice-clicks-read-");
        try {
            List<String> keys = keys();
            if (keys.isEmpty()) {
                return List.of();
            }
            for (String key : keys) {
                Path file = copy.resolve(key);
                Files.createDirectories(file.getParent());
                s3.getObject(r -> r.bucket(bucket).key(key), file);
            }
            List<Click> clicks = new ArrayList<>();
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                 ResultSet rs = duck.createStatement().executeQuery("SELECT click_id, country, day::VARCHAR, type, "
                         + "target, page, epoch_us(clicked_at), filename FROM read_parquet('" + copy
                         + "/**/*.parquet', filename = true, hive_partitioning = false)")) {
                while (rs.next()) {
                    String file = rs.getString(8);
                    String folders = file.substring(copy.toString().length() + 1 + PREFIX.length(),
                            file.lastIndexOf('/'));
                    clicks.add(new Click(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7), folders));
                }
            }
            return clicks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteTree(copy);
        }
    }

    /**
     * Stops the pipeline and closes what it shared, and forgets the click ids it stored and its rejects, so the next
     * harness in the same database starts empty; the stream and the bucket are left (fresh names each time).
     */
    @Override
    public void close() {
        stop();
        execute("DROP TABLE IF EXISTS clicks_errors");
        if (exists("sluice_seen_events")) {
            execute("DELETE FROM sluice_seen_events");
            execute("DELETE FROM sluice_seen_events_storing");
        }
        kinesis.close();
        s3.close();
    }

    static String example() {
        try {
            return Files.readString(EXAMPLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
