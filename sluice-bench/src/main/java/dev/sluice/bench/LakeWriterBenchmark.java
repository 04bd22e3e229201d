package dev.sluice.bench;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.parquet.Compression;
import dev.sluice.parquet.lake.CommittedFile;
import dev.sluice.parquet.lake.DirectoryLakeObjectStore;
import dev.sluice.parquet.lake.LakeEvent;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.parquet.lake.PartitionedParquetWriter;
import dev.sluice.pipelines.lake.LakeEventParser;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lake writer benchmark (docs/benchmarks.md): events/s into event-time partitioned Parquet, Sluice's
 * {@link PartitionedParquetWriter} against DuckDB's {@code COPY … (FORMAT PARQUET, PARTITION_BY …)} of the same
 * events in the same run, and the writer's heap with 200 partitions open in a {@code -Xmx512m} JVM.
 *
 * <ol>
 *   <li><b>Events.</b> {@link LakeBenchEvents}: {@code --events} JSON bodies (default 1,000,000) over {@code --types}
 *       types (100, Zipf skew) and the {@code --days} (2) UTC days before today: 200 partitions. They are held in
 *       memory (the in-memory source) and written to an NDJSON file for DuckDB.</li>
 *   <li><b>Sluice</b>, on one thread, into a {@link DirectoryLakeObjectStore} in a temp directory: <i>write</i>:
 *       the events parsed beforehand (untimed), timed from the first {@code write} until every file is closed and
 *       stored; <i>parse + write</i>: the same from the raw bodies, {@link LakeEventParser} included. ZSTD, row
 *       groups of {@code --row-group-kb} (1024), open-file cap = partitions, no size or age roll within the run: one
 *       file per partition, as DuckDB writes. A warm-up write of 100,000 events into a scratch directory runs
 *       first.</li>
 *   <li><b>DuckDB</b> ({@code SET threads=1}, like Sluice's one writer thread): the NDJSON is loaded into a table
 *       first (untimed: {@code read_json_objects}, the three fields extracted, the payload made by
 *       {@code json_merge_patch} removing them); timed is only the {@code COPY (SELECT …) TO dir (FORMAT PARQUET,
 *       COMPRESSION zstd, PARTITION_BY (year, month, day, event_type))}, whose SELECT derives event_type,
 *       event_subtype, created_datetime and the partition columns.</li>
 *   <li><b>Checked</b> (untimed): both lakes read back with DuckDB ({@code hive_partitioning}) hold every event
 *       once and the same number of partitions.</li>
 *   <li><b>Heap.</b> {@link LakeHeapWorker} in a child JVM at {@code -Xmx512m}: the same events generated one at a
 *       time, parsed and written on a simulated clock at 1,000,000 events/h, so files roll at 5 minutes of age;
 *       peak heap reported as in the other benchmarks.</li>
 * </ol>
 *
 * <p>Usage: {@code lake-writer [--events 1000000] [--types 100] [--days 2] [--row-group-kb 1024] [--heap 512m]
 * [--seed 42]}.
 */
public final class LakeWriterBenchmark {
    static final String NAME = "lake-writer";
    static final String SHARD = "shardId-000000000000";
    private static final double TARGET_RATIO = 0.5;
    private static final long HEAP_TARGET_MB = 512;
    private static final int WARMUP_EVENTS = 100_000;

    private LakeWriterBenchmark() {
    }

    /** The writer's settings in both the timed run and the heap worker: no roll by size, 5-minute age. */
    static LakeFileSettings settings(int partitions, long rowGroupBytes) {
        return new LakeFileSettings(null, Long.MAX_VALUE, Duration.ofMinutes(5), partitions, rowGroupBytes,
                Compression.ZSTD);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.forCommand(args, NAME, "[--events 1000000] [--types 100] [--days 2] "
                + "[--row-group-kb 1024] [--heap 512m] [--seed 42]");
        int count = options.intValue("events", 1_000_000);
        int types = options.intValue("types", 100);
        int days = options.intValue("days", 2);
        long rowGroupBytes = options.intValue("row-group-kb", 1024) * 1024L;
        String maxHeap = options.value("heap", "512m");
        long seed = options.intValue("seed", 42);
        Instant end = Instant.now();

        String started = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        String loadBefore = MachineFacts.loadAverage();
        say("# Sluice lake writer benchmark, " + started);
        say(MachineFacts.describe());
        Path dir = Files.createTempDirectory("sluice-lake-bench-");
        try {
            List<String> bodies = new ArrayList<>(count);
            LakeBenchEvents generator = new LakeBenchEvents(types, days, end, seed);
            Path ndjson = dir.resolve("events.ndjson");
            try (BufferedWriter out = Files.newBufferedWriter(ndjson)) {
                for (int i = 0; i < count; i++) {
                    String body = generator.next(i);
                    bodies.add(body);
                    out.write(body);
                    out.write('\n');
                }
            }
            say(String.format(Locale.ROOT, "%,d events, %,d bytes of NDJSON", count, Files.size(ndjson)));
            LakeFileSettings settings = settings(types * days, rowGroupBytes);
            List<Message> messages = messages(bodies);
            List<LakeEvent> events = parse(messages);

            sluiceWrite(settings, messages.subList(0, WARMUP_EVENTS), events, dir.resolve("warmup"));
            long writeNanos = sluiceWrite(settings, messages, events, dir.resolve("sluice-write"));
            say(String.format(Locale.ROOT, "Sluice write: %,.0f events/s", count / (writeNanos / 1e9)));
            long parseNanos = sluiceWrite(settings, messages, null, dir.resolve("sluice-parse-write"));
            say(String.format(Locale.ROOT, "Sluice parse + write: %,.0f events/s", count / (parseNanos / 1e9)));
            LakeCheck sluiceLake = check(dir.resolve("sluice-write/lake/events"), count);
            check(dir.resolve("sluice-parse-write/lake/events"), count);

            String duckDbVersion;
            long duckNanos;
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
                duckDbVersion = PlaytimeAggregationBenchmark.singleThreaded(duck);
                duckNanos = duckDbCopy(duck, ndjson, dir.resolve("duckdb"));
            }
            say(String.format(Locale.ROOT, "DuckDB COPY: %,.0f events/s", count / (duckNanos / 1e9)));
            LakeCheck duckLake = check(dir.resolve("duckdb"), count);
            if (duckLake.partitions() != sluiceLake.partitions()) {
                throw new IllegalStateException("DuckDB wrote " + duckLake.partitions() + " partitions, Sluice "
                        + sluiceLake.partitions());
            }

            bodies.clear();
            messages = null;
            events = null;
            HeapRun heap = HeapRun.inChildJvm(LakeHeapWorker.class, maxHeap, dir.resolve("heap-worker.out"),
                    List.of(Integer.toString(count), Integer.toString(types), Integer.toString(days),
                            Long.toString(end.getEpochSecond()), Long.toString(seed), Long.toString(rowGroupBytes),
                            dir.resolve("heap").toString()));
            say("heap worker: exit " + heap.exit() + ", " + heap.result() + ", " + heap.heap());
            if (heap.completed() && Long.parseLong(heap.result().get("events")) != count) {
                throw new IllegalStateException("heap worker stored " + heap.result().get("events") + " of " + count);
            }
            say(report(started, loadBefore, MachineFacts.loadAverage(), duckDbVersion, count, types, days,
                    rowGroupBytes, sluiceLake, writeNanos, parseNanos, duckNanos, heap));
        } finally {
            LoginsBenchmark.deleteRecursively(dir);
        }
    }

    private static List<Message> messages(List<String> bodies) {
        List<Message> messages = new ArrayList<>(bodies.size());
        Instant sent = Instant.now();
        for (int i = 0; i < bodies.size(); i++) {
            String sequence = Integer.toString(i);
            messages.add(new Message(bodies.get(i), new SourceCoordinates.Stream("bench", SHARD, sequence), sent,
                    sequence));
        }
        return messages;
    }

    private static List<LakeEvent> parse(List<Message> messages) {
        LakeEventParser parser = new LakeEventParser();
        List<LakeEvent> events = new ArrayList<>(messages.size());
        for (Message m : messages) {
            events.add(parsed(parser, m));
        }
        return events;
    }

    private static LakeEvent parsed(LakeEventParser parser, Message m) {
        return switch (parser.apply(m)) {
            case Outcome.Emit<LakeEvent> emit -> emit.value();
            case Outcome.Drop<LakeEvent> drop -> throw new IllegalStateException("dropped: " + drop.why());
            case Outcome.Reject<LakeEvent> reject -> throw new IllegalStateException("rejected: " + reject.reason());
        };
    }

    /**
     * Writes {@code messages} (their pre-parsed {@code events}, or parsed here when null) into a new lake under
     * {@code dir}, closes and stores every file; returns the nanoseconds that took.
     */
    private static long sluiceWrite(LakeFileSettings settings, List<Message> messages, List<LakeEvent> events,
                                    Path dir) throws IOException, PermanentFailureException {
        LakeEventParser parser = new LakeEventParser();
        AtomicLong stored = new AtomicLong();
        Instant now = Instant.now();
        long start = System.nanoTime();
        try (PartitionedParquetWriter writer = new PartitionedParquetWriter(settings,
                new DirectoryLakeObjectStore(dir.resolve("lake")), dir.resolve("work"))) {
            for (int i = 0; i < messages.size(); i++) {
                Message m = messages.get(i);
                LakeEvent event = events == null ? parsed(parser, m) : events.get(i);
                writer.write(event, SHARD, m.receipt(), m, now);
            }
            writer.rollAll();
            writer.store(true, (CommittedFile f) -> stored.addAndGet(f.rows()));
        }
        long nanos = System.nanoTime() - start;
        if (stored.get() != messages.size()) {
            throw new IllegalStateException("Sluice stored " + stored.get() + " of " + messages.size() + " events");
        }
        return nanos;
    }

    /** Loads the NDJSON into a table (untimed), then times the partitioned COPY alone. */
    private static long duckDbCopy(Connection duck, Path ndjson, Path target) throws SQLException {
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE events AS SELECT json ->> 'event_uuid' AS event_uuid, "
                    + "json ->> 'event_name' AS event_name, CAST(json ->> 'created_at' AS DOUBLE) AS created_at, "
                    + "CAST(json_merge_patch(json, '{\"event_uuid\":null,\"event_name\":null,\"created_at\":null}') "
                    + "AS VARCHAR) AS payload FROM read_json_objects('" + quoted(ndjson)
                    + "', format = 'newline_delimited')");
            long start = System.nanoTime();
            s.execute("COPY (SELECT event_uuid, event_name, split_part(event_name, ':', 1) AS event_type, "
                    + "NULLIF(split_part(event_name, ':', 2), '') AS event_subtype, created_at, "
                    + "strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS created_datetime, payload, "
                    + "year(ts) AS year, month(ts) AS month, day(ts) AS day "
                    + "FROM (SELECT *, make_timestamp(CAST(created_at * 1000000 AS BIGINT)) AS ts FROM events)) "
                    + "TO '" + quoted(target) + "' (FORMAT PARQUET, COMPRESSION zstd, "
                    + "PARTITION_BY (year, month, day, event_type))");
            return System.nanoTime() - start;
        }
    }

    /** What a lake holds, read back with DuckDB. */
    record LakeCheck(long events, long partitions, long files, long bytes) {
    }

    /** Reads the lake under {@code root} back and fails unless it holds {@code expected} distinct events. */
    private static LakeCheck check(Path root, long expected) throws SQLException, IOException {
        long files;
        long bytes;
        try (var walk = Files.walk(root)) {
            List<Path> parquet = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
            files = parquet.size();
            long total = 0;
            for (Path p : parquet) {
                total += Files.size(p);
            }
            bytes = total;
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_uuid), "
                     + "count(DISTINCT (year, month, day, event_type)) FROM read_parquet('" + quoted(root)
                     + "/**/*.parquet', hive_partitioning = true)")) {
            rs.next();
            if (rs.getLong(1) != expected || rs.getLong(2) != expected) {
                throw new IllegalStateException(root + " holds " + rs.getLong(1) + " events, " + rs.getLong(2)
                        + " distinct, of " + expected);
            }
            return new LakeCheck(rs.getLong(1), rs.getLong(3), files, bytes);
        }
    }

    private static String quoted(Path path) {
        return path.toString().replace("'", "''");
    }

    static String report(String started, String loadBefore, String loadAfter, String duckDbVersion, int count,
                         int types, int days, long rowGroupBytes, LakeCheck lake, long writeNanos, long parseNanos,
                         long duckNanos, HeapRun heap) {
        double write = count / (writeNanos / 1e9);
        double parseWrite = count / (parseNanos / 1e9);
        double duck = count / (duckNanos / 1e9);
        StringBuilder out = new StringBuilder();
        out.append("\n## The `lake-writer` benchmark: results ").append(started).append("\n\n");
        MachineFacts.describe().lines().forEach(line -> out.append("- ").append(line).append('\n'));
        out.append("- DuckDB: ").append(duckDbVersion).append(" (duckdb_jdbc, in-process, `SET threads=1`)\n");
        out.append("- Load average (1/5/15) before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append('\n');
        out.append(String.format(Locale.ROOT, "- Events: %,d over %d types (Zipf) and %d days: %d partitions, "
                        + "%d files, %.1f MiB of Parquet (Sluice); ZSTD, row groups of %d KiB%n%n", count, types, days,
                lake.partitions(), lake.files(), lake.bytes() / 1048576.0, rowGroupBytes / 1024));
        out.append("| run | seconds | events/s | ratio to DuckDB COPY |\n|---|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| Sluice write (pre-parsed events) | %.2f | %,.0f | **%.2f** |%n",
                writeNanos / 1e9, write, write / duck));
        out.append(String.format(Locale.ROOT, "| Sluice parse + write (raw JSON bodies) | %.2f | %,.0f | %.2f |%n",
                parseNanos / 1e9, parseWrite, parseWrite / duck));
        out.append(String.format(Locale.ROOT, "| DuckDB COPY … PARTITION_BY (loaded table) | %.2f | %,.0f | 1 |%n",
                duckNanos / 1e9, duck));
        out.append(String.format(Locale.ROOT, "%n| heap: %,d events, %d partitions open, child JVM | result "
                + "| files | ms | heap peak MB (sampled / pool sum) | GC count/time |%n|---|---|---|---|---|---|%n",
                count, lake.partitions()));
        out.append(String.format(Locale.ROOT, "| `-Xmx%s` (max %s MB) | %s | %s | %s | %s / %s | %s |%n",
                heap.maxHeap(), heap.heap().getOrDefault("max_mb", "?"),
                heap.completed() ? "completed, " + heap.result().get("events") + " events stored, at most "
                        + heap.result().get("max_open") + " files open" : "**FAILED** (exit " + heap.exit() + ")",
                heap.result().getOrDefault("files", "-"), heap.result().getOrDefault("millis", "-"),
                heap.heap().getOrDefault("sampled_peak_mb", "-"), heap.heap().getOrDefault("pool_peaks_mb", "-"),
                heap.gcSummary()));
        boolean heapMet = heap.completed() && Long.parseLong(heap.heap().get("pool_peaks_mb")) <= HEAP_TARGET_MB;
        out.append(String.format(Locale.ROOT, "%nSluice write ≥ %.1f× DuckDB's events/s: %s (parse + write: %s). "
                        + "Completes within -Xmx%s with %d partitions open, pool-sum peak ≤ %d MB: %s.%n",
                TARGET_RATIO, write / duck >= TARGET_RATIO ? "MET" : "MISSED",
                parseWrite / duck >= TARGET_RATIO ? "MET" : "MISSED", heap.maxHeap(), lake.partitions(),
                HEAP_TARGET_MB, heapMet ? "MET" : "MISSED"));
        return out.toString();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
