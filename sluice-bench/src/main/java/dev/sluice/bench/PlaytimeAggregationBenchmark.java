package dev.sluice.bench;

import dev.sluice.parquet.EventDurationAggregator;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import dev.sluice.parquet.EventDurationTotals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The playtime aggregation benchmark (docs/benchmarks.md): {@link EventDurationAggregator} against single-threaded DuckDB
 * on the same local Parquet files, in the same run.
 *
 * <p>Issue target: aggregation time per 100,000-row file and rows/s on a 10,000,000-row file, each as a ratio against
 * DuckDB ({@code duckdb_jdbc}, {@code SET threads=1}, the same SUM … GROUP BY over the same local file) measured in
 * the same run; within 3× of DuckDB; peak heap ≤ 256 MB on the 10M-row file.
 *
 * <p>How it is measured:
 * <ol>
 *   <li><b>Files.</b> {@link EventDurationFileGenerator} writes, into a temp directory deleted afterwards, a
 *       {@code small} file (100,000 rows over 10 users: the demo's shape) and a {@code big} one (10,000,000 rows over
 *       10,000 users: the realistic case); Snappy, 131,072 rows per row group, dictionary-encoded strings, the same
 *       seed every run.</li>
 *   <li><b>Time.</b> Per file, in this JVM, Sluice and DuckDB run alternately (interleaved, and which of the two
 *       goes first alternates too, so neither always finds the page cache or the CPU's caches warmer): warm-up
 *       iterations first, then measured ones: 200 + 20 for the small file, 2 + 5 for the big one. The small file
 *       runs first in a fresh JVM, so its many warm-ups are what lets the JIT compile Sluice's loops (about a
 *       second); the measured numbers are those of a warm, long-running pipeline. The very first iteration of each
 *       side is reported too ("first run"): for the small file that is Sluice in a cold JVM.
 *       Sluice is {@code new EventDurationAggregator(Rules.DEFAULTS).aggregate(file)}. DuckDB is one in-process
 *       {@code jdbc:duckdb:} connection with {@code SET threads=1} running {@code SELECT UserID, EventType,
 *       SUM(EventDuration) FROM read_parquet('file') GROUP BY 1, 2} and fetching every result row into the same
 *       shape Sluice returns (user → event type → seconds, in {@link TreeMap}s), so both timings end with the
 *       same Java object. Reported: median and min wall time, rows/s at the median, and the ratio of Sluice's time
 *       to DuckDB's (median to median, and min to min). Target ≤ 3.</li>
 *   <li><b>Checked.</b> After every iteration, outside the timing, both results must equal the totals the generator
 *       counted as it wrote the file (so they equal each other); any difference stops the benchmark with the first
 *       differing user.</li>
 *   <li><b>Heap.</b> The big file is aggregated once more, cold, in a {@link PlaytimeHeapWorker} JVM with
 *       {@code -Xmx256m} (same JDK and class path), which reports whether it completed, its totals (checked as
 *       above), its time, and its used heap sampled every 20 ms (a lower bound of the peak) and the sum of the heap
 *       pools' peaks (an upper bound) with the GC counts. Target: completes at {@code -Xmx256m}.</li>
 * </ol>
 * The report ends with a Markdown section (machine facts, load average, tables) for docs/benchmarks.md.
 *
 * <p>Usage: {@code playtime [--small-rows 100000] [--small-users 10] [--small-warmups 200] [--small-runs 20]
 * [--big-rows 10000000] [--big-users 10000] [--big-warmups 2] [--big-runs 5] [--heap 256m] [--seed 42]}.
 */
public final class PlaytimeAggregationBenchmark {
    static final double TARGET_RATIO = 3.0;
    private static final long HEAP_TARGET_MB = 256;

    /** One file to measure. */
    record Case(String name, int rows, int users, int warmups, int runs) {
    }

    /** One file's measured iterations, in nanoseconds. */
    record Timings(Case file, long bytes, int rowGroups, long firstSluice, long firstDuckDb, long[] sluice,
                   long[] duckDb) {
        double sluiceMedianMs() {
            return LoginsBenchmark.median(millis(sluice));
        }

        double duckDbMedianMs() {
            return LoginsBenchmark.median(millis(duckDb));
        }

        double sluiceMinMs() {
            return Arrays.stream(millis(sluice)).min().orElseThrow();
        }

        double duckDbMinMs() {
            return Arrays.stream(millis(duckDb)).min().orElseThrow();
        }

        double ratio() {
            return sluiceMedianMs() / duckDbMedianMs();
        }

        private static double[] millis(long[] nanos) {
            return Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
        }
    }

    private PlaytimeAggregationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.forCommand(args, "playtime", "[--small-rows 100000] [--small-users 10] "
                + "[--small-warmups 200] [--small-runs 20] [--big-rows 10000000] [--big-users 10000] "
                + "[--big-warmups 2] [--big-runs 5] [--heap 256m] [--seed 42]");
        List<Case> cases = List.of(
                new Case("small", options.intValue("small-rows", 100_000), options.intValue("small-users", 10),
                        options.intValue("small-warmups", 200), options.intValue("small-runs", 20)),
                new Case("big", options.intValue("big-rows", 10_000_000), options.intValue("big-users", 10_000),
                        options.intValue("big-warmups", 2), options.intValue("big-runs", 5)));
        String maxHeap = options.value("heap", "256m");
        long seed = options.intValue("seed", 42);

        String started = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        String loadBefore = MachineFacts.loadAverage();
        say("# Sluice playtime aggregation benchmark, " + started);
        say(MachineFacts.describe());
        Path dir = Files.createTempDirectory("sluice-playtime-bench-");
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:")) {
            String duckDbVersion = singleThreaded(duckDb);
            say("DuckDB " + duckDbVersion + ", threads=1");
            List<Timings> timings = new ArrayList<>();
            HeapRun heapRun = null;
            for (Case c : cases) {
                Path file = dir.resolve(c.name() + ".parquet");
                long generateStart = System.nanoTime();
                GeneratedFile generated = new EventDurationFileGenerator(c.users(), seed).write(file, c.rows());
                say(String.format(Locale.ROOT, "%s: %,d rows over %,d users, %,d bytes, generated in %,d ms",
                        c.name(), c.rows(), c.users(), Files.size(file),
                        (System.nanoTime() - generateStart) / 1_000_000));
                Timings t = measure(c, generated, duckDb);
                timings.add(t);
                say(String.format(Locale.ROOT, "%s: Sluice median %.1f ms, DuckDB median %.1f ms, ratio %.2f",
                        c.name(), t.sluiceMedianMs(), t.duckDbMedianMs(), t.ratio()));
                if (c == cases.getLast()) {
                    heapRun = heapInChildJvm(generated, maxHeap);
                    say("heap worker: exit " + heapRun.exit() + ", " + heapRun.result() + ", " + heapRun.heap());
                }
                Files.delete(file);
            }
            say(report(started, loadBefore, MachineFacts.loadAverage(), duckDbVersion, seed, timings,
                    Objects.requireNonNull(heapRun)));
        } finally {
            LoginsBenchmark.deleteRecursively(dir);
        }
    }

    /** Sets {@code threads=1}, checks it took, and returns DuckDB's version. */
    static String singleThreaded(Connection duckDb) throws SQLException {
        try (Statement s = duckDb.createStatement()) {
            s.execute("SET threads = 1");
            try (ResultSet rs = s.executeQuery("SELECT current_setting('threads'), version()")) {
                rs.next();
                if (rs.getLong(1) != 1) {
                    throw new IllegalStateException("DuckDB runs " + rs.getString(1) + " threads after SET threads=1");
                }
                return rs.getString(2);
            }
        }
    }

    private static Timings measure(Case c, GeneratedFile generated, Connection duckDb) throws IOException,
            SQLException {
        EventDurationAggregator aggregator = new EventDurationAggregator(EventDurationAggregator.Rules.DEFAULTS);
        String query = "SELECT UserID, EventType, SUM(EventDuration) FROM read_parquet('"
                + generated.file().toString().replace("'", "''") + "') GROUP BY 1, 2";
        long[] sluice = new long[c.runs()];
        long[] duck = new long[c.runs()];
        long firstSluice = 0;
        long firstDuck = 0;
        int rowGroups = 0;
        for (int i = 0; i < c.warmups() + c.runs(); i++) {
            long sluiceNanos = 0;
            long duckNanos = 0;
            for (int turn = 0; turn < 2; turn++) {
                if ((turn == 0) == (i % 2 == 0)) {
                    long start = System.nanoTime();
                    EventDurationTotals totals = aggregator.aggregate(generated.file());
                    sluiceNanos = System.nanoTime() - start;
                    check("Sluice", totals.perUser(), generated);
                    if (totals.rows() != generated.rows()) {
                        throw new IllegalStateException("Sluice read " + totals.rows() + " rows of "
                                + generated.rows());
                    }
                    rowGroups = totals.rowGroups();
                } else {
                    long start = System.nanoTime();
                    SortedMap<String, Map<String, Long>> totals = duckDbTotals(duckDb, query);
                    duckNanos = System.nanoTime() - start;
                    check("DuckDB", totals, generated);
                }
            }
            if (i == 0) {
                firstSluice = sluiceNanos;
                firstDuck = duckNanos;
            }
            if (i >= c.warmups()) {
                sluice[i - c.warmups()] = sluiceNanos;
                duck[i - c.warmups()] = duckNanos;
            }
        }
        return new Timings(c, Files.size(generated.file()), rowGroups, firstSluice, firstDuck, sluice, duck);
    }

    private static SortedMap<String, Map<String, Long>> duckDbTotals(Connection duckDb, String query)
            throws SQLException {
        SortedMap<String, Map<String, Long>> perUser = new TreeMap<>();
        try (Statement s = duckDb.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                perUser.computeIfAbsent(rs.getString(1), user -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
            }
        }
        return perUser;
    }

    /** Fails the benchmark loudly unless {@code actual} is exactly what the generator wrote. */
    private static void check(String who, Map<String, Map<String, Long>> actual, GeneratedFile generated) {
        if (actual.equals(generated.perUser())) {
            return;
        }
        String firstDifference = generated.perUser().entrySet().stream()
                .filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                .map(e -> e.getKey() + ": wrote " + e.getValue() + ", " + who + " " + actual.get(e.getKey()))
                .findFirst()
                .orElse(actual.size() + " users instead of " + generated.perUser().size());
        throw new IllegalStateException(who + "'s totals differ from what was written to " + generated.file()
                + ", first at " + firstDifference);
    }

    /** Aggregates the file once in a {@link PlaytimeHeapWorker} JVM with {@code -Xmx<maxHeap>}. */
    private static HeapRun heapInChildJvm(GeneratedFile generated, String maxHeap) throws InterruptedException {
        HeapRun run = HeapRun.inChildJvm(PlaytimeHeapWorker.class, maxHeap,
                generated.file().resolveSibling("heap-worker.out"), List.of(generated.file().toString()));
        Map<String, String> result = run.result();
        if (run.completed() && (Long.parseLong(result.get("rows")) != generated.rows()
                || Long.parseLong(result.get("seconds")) != generated.total()
                || Integer.parseInt(result.get("users")) != generated.perUser().size())) {
            throw new IllegalStateException("heap worker's totals differ from what was written: " + result
                    + "; wrote rows=" + generated.rows() + " seconds=" + generated.total() + " users="
                    + generated.perUser().size());
        }
        return run;
    }

    static String report(String started, String loadBefore, String loadAfter, String duckDbVersion, long seed,
                         List<Timings> timings, HeapRun heap) {
        StringBuilder out = new StringBuilder();
        out.append("\n## The `playtime` aggregation benchmark: results ").append(started).append("\n\n");
        MachineFacts.describe().lines().forEach(line -> out.append("- ").append(line).append('\n'));
        out.append("- DuckDB: ").append(duckDbVersion).append(" (duckdb_jdbc, in-process, `SET threads=1`)\n");
        out.append("- Load average (1/5/15) before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append('\n');
        out.append("- Files: EventDurationFileGenerator seed ").append(seed)
                .append(", Snappy, 131,072 rows per row group, local temp directory\n\n");
        out.append("| file | rows | users | row groups | MiB | warm-up + measured | first run ms (Sluice / DuckDB) "
                + "| Sluice median ms | Sluice min ms | DuckDB median ms | DuckDB min ms | Sluice rows/s | DuckDB rows/s "
                + "| **ratio Sluice/DuckDB** (median) | ratio (min) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        boolean ratiosMet = true;
        for (Timings t : timings) {
            Case c = t.file();
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %d | %.1f | %d + %d | %.1f / %.1f | %.1f | %.1f "
                            + "| %.1f | %.1f | %,.0f | %,.0f | **%.2f** | %.2f |%n", c.name(), c.rows(), c.users(),
                    t.rowGroups(), t.bytes() / 1048576.0, c.warmups(), c.runs(), t.firstSluice() / 1e6,
                    t.firstDuckDb() / 1e6, t.sluiceMedianMs(), t.sluiceMinMs(),
                    t.duckDbMedianMs(), t.duckDbMinMs(), c.rows() / (t.sluiceMedianMs() / 1000),
                    c.rows() / (t.duckDbMedianMs() / 1000), t.ratio(), t.sluiceMinMs() / t.duckDbMinMs()));
            ratiosMet &= t.ratio() <= TARGET_RATIO;
        }
        Case big = timings.getLast().file();
        out.append(String.format(Locale.ROOT, "%n| heap: %s file (%,d rows), child JVM | result | cold aggregation ms "
                + "| heap peak MB (sampled / pool sum) | GC count/time |%n|---|---|---|---|---|%n", big.name(),
                big.rows()));
        String gc = heap.gcSummary();
        out.append(String.format(Locale.ROOT, "| `-Xmx%s` (max %s MB) | %s | %s | %s / %s | %s |%n", heap.maxHeap(),
                heap.heap().getOrDefault("max_mb", "?"),
                heap.completed() ? "completed, totals match" : "**FAILED** (exit " + heap.exit() + ")",
                heap.result().getOrDefault("millis", "-"), heap.heap().getOrDefault("sampled_peak_mb", "-"),
                heap.heap().getOrDefault("pool_peaks_mb", "-"), gc));
        boolean heapMet = heap.completed() && Long.parseLong(heap.heap().get("pool_peaks_mb")) <= HEAP_TARGET_MB;
        out.append(String.format(Locale.ROOT, "%nTime within %.0f× of single-threaded DuckDB on every file: %s. "
                        + "Heap peak ≤ %d MB on the %s file: %s.%n", TARGET_RATIO, ratiosMet ? "MET" : "MISSED",
                HEAP_TARGET_MB, big.name(), heapMet ? "MET" : "MISSED"));
        return out.toString();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
