package dev.sluice.bench;

import dev.sluice.pipelines.warehouse.LineRowParser;
import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.core.engine.Outcome;
import dev.sluice.local.EmbeddedPostgresServer;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.pipelines.warehouse.WarehouseLoadSettings;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * The tracking warehouse load benchmark (docs/benchmarks.md): {@link WarehouseLoadJob} against {@code psql \copy} of
 * the same rows, uncompressed CSV, into the same {@code events} table, in the same run.
 *
 * <p>After one unmeasured load (the JIT's warm-up; the scheduled job runs in a long-lived process), per run, on an
 * embedded PostgreSQL 17 and s3proxy in this JVM: {@code events} and the ledger are truncated,
 * then the loader loads every raw file (gzip NDJSON in s3proxy, {@code files-of} events each, as the archiver rolls
 * them) and is timed from the listing to the last commit; truncated again, then {@code psql \copy events (…) FROM
 * 'events.csv' WITH (FORMAT csv)} is timed as a process. Which of the two goes first alternates by run. The CSV
 * holds exactly the rows the loader's own line mapping makes of the same lines. Both must end with {@code events}
 * holding every event. Reported: rows/s of each and the ratio loader / psql; target ≥ {@value #TARGET_RATIO}.
 *
 * <p>Usage: {@code tracking-load [--events 500000] [--files-of 10000] [--runs 3] [--psql /usr/bin/psql] [--seed 7]}.
 */
public final class TrackingLoadBenchmark {
    public static final String NAME = "tracking-load";
    static final double TARGET_RATIO = 0.7;
    /** The fixture's naive UTC form, {@code 2018-01-30 18:13:52.221000}. */
    private static final DateTimeFormatter NAIVE_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(java.time.ZoneOffset.UTC);

    record Run(int number, long loaderNanos, long psqlNanos, String load) {
        double ratio() {
            return (double) psqlNanos / loaderNanos;
        }
    }

    private TrackingLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.forCommand(args, NAME,
                "[--events 500000] [--files-of 10000] [--runs 3] [--psql /usr/bin/psql] [--seed 7]");
        int events = options.intValue("events", 500_000);
        int filesOf = options.intValue("files-of", 10_000);
        int runs = options.intValue("runs", 3);
        String psql = options.value("psql", "/usr/bin/psql");
        Path base = Files.createTempDirectory("sluice-bench-tracking-");
        say("# Sluice tracking-load benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        say(MachineFacts.describe());
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(base.resolve("postgres"));
             EmbeddedS3 s3Server = EmbeddedS3.start(base.resolve("s3"));
             S3Client s3 = s3Server.newClient();
             PostgresDatabase db = new PostgresDatabase(new PostgresSettings(postgres.jdbcUrl()))) {
            WarehouseLoadSettings settings = ShippedTracking.load();
            s3Server.createBucket(settings.bucket());
            ShippedTracking.migrate(db);
            Path csv = base.resolve("events.csv");
            long compressed = writeData(s3, settings, csv, events, filesOf, options.intValue("seed", 7));
            say("Data: " + events + " events in " + (events + filesOf - 1) / filesOf + " gzip NDJSON files of up to "
                    + filesOf + " events (" + compressed / 1024 / 1024 + " MiB compressed); CSV for psql "
                    + Files.size(csv) / 1024 / 1024 + " MiB");
            WarehouseLoadJob job = ShippedTracking.loadJob(s3, db.dataSource());
            // The scheduled job runs in a long-lived process: measure it warm, after one unmeasured load.
            say(String.format(Locale.ROOT, "warm-up (cold JVM, not in the table): loader %.0f rows/s",
                    perSecond(events, timeLoader(db, job, events))));
            List<Run> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                String load = MachineFacts.loadAverage();
                long loader;
                long copy;
                if (run % 2 == 1) {
                    loader = timeLoader(db, job, events);
                    copy = timePsql(db, psql, postgres.jdbcUrl(), csv, events);
                } else {
                    copy = timePsql(db, psql, postgres.jdbcUrl(), csv, events);
                    loader = timeLoader(db, job, events);
                }
                Run result = new Run(run, loader, copy, load);
                results.add(result);
                say(String.format(Locale.ROOT, "run %d: loader %.0f rows/s, psql \\copy %.0f rows/s, ratio %.2f",
                        run, perSecond(events, loader), perSecond(events, copy), result.ratio()));
            }
            say(table(results, events));
        } finally {
            LoginsBenchmark.deleteRecursively(base);
        }
    }

    /** Puts the raw files and writes the CSV of the same rows; returns the compressed bytes stored. */
    private static long writeData(S3Client s3, WarehouseLoadSettings settings, Path csv, int events, int filesOf,
                                  int seed) throws IOException {
        Random random = new Random(seed);
        LineRowParser rows = new LineRowParser(settings.columns(), settings.maxLineBytes());
        long compressed = 0;
        try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            for (int file = 0, written = 0; written < events; file++) {
                int count = Math.min(filesOf, events - written);
                StringBuilder ndjson = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    String line = event(random);
                    ndjson.append(line).append('\n');
                    Outcome<List<String>> row = rows.apply(line);
                    if (!(row instanceof Outcome.Emit<List<String>>(List<String> values))) {
                        throw new IllegalStateException("a generated event was rejected: " + row);
                    }
                    writeCsv(out, values);
                }
                byte[] gzip = gzip(ndjson.toString());
                compressed += gzip.length;
                String key = settings.prefix() + "dt=2026-11-22/" + String.format("%06d", file) + "-"
                        + UUID.nameUUIDFromBytes(gzip) + ".json.gz";
                s3.putObject(r -> r.bucket(settings.bucket()).key(key), RequestBody.fromBytes(gzip));
                written += count;
            }
        }
        return compressed;
    }

    /** An event shaped like the fixture's, with its own ids, user and times. */
    private static String event(Random random) {
        long millis = 1_700_000_000_000L + random.nextInt(1_000_000_000);
        String received = NAIVE_UTC.format(java.time.Instant.ofEpochMilli(millis));
        boolean ios = random.nextBoolean();
        return "{\"id\":\"" + uuid(random) + "\",\"received_at\":\"" + received + "\",\"anonymous_id\":\""
                + uuid(random) + "\",\"context_app_version\":\"1.2.3\",\"context_device_ad_tracking_enabled\":true,"
                + "\"context_device_manufacturer\":\"Apple\",\"context_device_model\":\"iPhone8,4\","
                + "\"context_device_type\":\"" + (ios ? "ios" : "android") + "\",\"context_locale\":\"de-DE\","
                + "\"context_network_wifi\":true,\"context_os_name\":\"" + (ios ? "iOS" : "Android") + "\","
                + "\"context_timezone\":\"Europe/Berlin\",\"event\":\"submission_success\","
                + "\"event_text\":\"submissionSuccess\",\"original_timestamp\":\"2018-01-30T19:13:43.383+0100\","
                + "\"sent_at\":\"" + received + "\",\"timestamp\":\"" + received + "\",\"user_id\":\""
                + random.nextInt(1_000_000) + "\",\"context_network_carrier\":\"o2-de\",\"context_device_token\":null,"
                + "\"context_traits_taxfix_language\":\"en-DE\"}";
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString().toUpperCase(Locale.ROOT);
    }

    /** CSV: NULL unquoted and empty, every value quoted with quotes doubled. */
    private static void writeCsv(Writer out, List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String value = values.get(i);
            if (value != null) {
                out.write('"');
                out.write(value.replace("\"", "\"\""));
                out.write('"');
            }
        }
        out.write('\n');
    }

    private static long timeLoader(PostgresDatabase db, WarehouseLoadJob job, int events) throws Exception {
        truncate(db);
        long start = System.nanoTime();
        WarehouseLoadJob.Summary summary = job.loadPending();
        long took = System.nanoTime() - start;
        if (summary.rows() != events || rows(db) != events) {
            throw new IllegalStateException("the loader loaded " + summary.rows() + " rows, expected " + events);
        }
        return took;
    }

    private static long timePsql(PostgresDatabase db, String psql, String jdbcUrl, Path csv, int events)
            throws Exception {
        truncate(db);
        String copy = "\\copy events (" + String.join(", ", ShippedTracking.load().columns().keySet().stream()
                .map(c -> '"' + c + '"').toList()) + ") FROM '" + csv + "' WITH (FORMAT csv)";
        ProcessBuilder pb = new ProcessBuilder(psql, jdbcUrl.substring("jdbc:".length()), "-v", "ON_ERROR_STOP=1",
                "-q", "-c", copy).redirectErrorStream(true);
        long start = System.nanoTime();
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("psql \\copy failed: " + output);
        }
        long took = System.nanoTime() - start;
        if (rows(db) != events) {
            throw new IllegalStateException("psql copied " + rows(db) + " rows, expected " + events);
        }
        return took;
    }

    private static void truncate(PostgresDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE events, tracking_loaded_files, tracking_load_errors");
            s.execute("CHECKPOINT");
        }
    }

    private static long rows(PostgresDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double perSecond(int rows, long nanos) {
        return rows / (nanos / 1e9);
    }

    private static String table(List<Run> runs, int events) {
        StringBuilder md = new StringBuilder("\n| run | loader rows/s | psql \\copy rows/s | ratio (target ≥ "
                + TARGET_RATIO + ") | load average (1, 5, 15 min) |\n|---|---|---|---|---|\n");
        for (Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %s |%n", run.number(),
                    perSecond(events, run.loaderNanos()), perSecond(events, run.psqlNanos()), run.ratio(),
                    run.load()));
        }
        double median = runs.stream().map(Run::ratio).sorted().toList().get(runs.size() / 2);
        md.append(String.format(Locale.ROOT, "%nMedian ratio %.2f: %s%n", median,
                median >= TARGET_RATIO ? "meets the target" : "below the target"));
        return md.toString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
