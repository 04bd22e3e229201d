package dev.sluice.bench;

import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The logins benchmark (docs/benchmarks.md). Per run, on one embedded stack (ElasticMQ + PostgreSQL 17 in a temp
 * directory, both in this JVM) and the sink tables on a Postgres that commits as production does ({@link BenchPostgres}:
 * by default a fresh database on the machine's PostgreSQL service, fsync and synchronous_commit on):
 * <ol>
 *   <li>the limit: the strongest raw drain of the queue ({@link StrongestDrain}: 4, 16 and 32 consumers, each in its
 *       own JVM with the pipeline's heap, after a refill);</li>
 *   <li>the peer: fill with {@code messages} realistic bodies, start the Camel route ({@link CamelLoginsWorker}) in its
 *       own JVM with the same heap and time it from its start until {@code camel_logins} holds every message and
 *       the queue is empty;</li>
 *   <li>fill again with the very same bodies, start the pipeline in a {@link LoginsWorker} JVM with {@code -Xmx256m}
 *       and time it the same way on {@code user_logins}; then check that both tables hold the same rows, masked
 *       tokens included;</li>
 *   <li>with that pipeline still running, send at a steady {@code rate} for {@code seconds} ({@link PacedSender})
 *       and take the worker's end-to-end latencies (SQS SentTimestamp to acknowledgement) over that window.</li>
 * </ol>
 *
 * <p>Usage: {@code logins [--runs 3] [--messages 100000] [--rate 1000] [--seconds 60] [--heap 256m]
 * [--receivers 4] [--writers 2] [--batch-size 500] [--linger-ms 20] [--max-in-flight 2000] [--pool-size 4]
 * [--peer camel|none] [--camel-consumers 8] [--camel-max-per-poll 10] [--camel-batch-size 500]
 * [--camel-linger-ms 20] [--camel-visibility-seconds 30] [--camel-rewrite-batched-inserts true]
 * [--postgres service|embedded] [--postgres-server 127.0.0.1:5432] [--raw-warm-up 10000]}.
 */
public final class LoginsBenchmark {
    private static final double TARGET_RATIO = 0.8;
    private static final double TARGET_PEER_RATIO = 1.5;
    /** The columns both tables are compared on: all but the message id and the date of processing. */
    private static final String COMPARED = "user_id, device_type, masked_ip, masked_device_id, locale, app_version, "
            + "app_version_text";
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POLL_EVERY = Duration.ofMillis(50);

    record Run(StrongestDrain.Result raw, double camelPerSecond, long camelHeapPeakMb, double pipelinePerSecond,
               double sentPerSecond, double writtenPerSecond,
               long catchUpMillis, long p50Millis, long p99Millis, long maxMillis, long latencyCount,
               long heapPeakMb, long poolPeaksMb, String gc, String load) {
        double rawPerSecond() {
            return raw.best();
        }

        double ratio() {
            return pipelinePerSecond / rawPerSecond();
        }

        /** Sluice / Camel; NaN without the peer. */
        double peerRatio() {
            return pipelinePerSecond / camelPerSecond;
        }
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final PostgresDatabase db;
    /** The sink tables' database ({@link BenchPostgres}). */
    private final String jdbcUrl;
    private final EmbeddedStack stack;
    private final PipelineTuning tuning;
    private final int messages;
    private final int rate;
    private final int seconds;
    private final String heap;
    /** Messages each raw drain's JVM drains untimed first ({@link RawDrainWorker}); 0 measures it cold. */
    private final int rawWarmUp;
    private final boolean camel;
    private final CamelLoginsRoute.Tuning camelTuning;
    /** One keyset for the pipeline and the peer, so their tokens can be compared. */
    private final String keyset = Keyset.generate().toJson();

    private LoginsBenchmark(EmbeddedStack stack, String jdbcUrl, SqsClient sqs, PostgresDatabase db, Options options) {
        this.stack = stack;
        this.jdbcUrl = jdbcUrl;
        this.sqs = sqs;
        this.db = db;
        this.queueUrl = sqs.getQueueUrl(b -> b.queueName(PipelineTuning.QUEUE)).queueUrl();
        this.tuning = PipelineTuning.from(options);
        this.messages = options.intValue("messages", 100_000);
        this.rate = options.intValue("rate", 1_000);
        this.seconds = options.intValue("seconds", 60);
        this.heap = options.value("heap", "256m");
        this.rawWarmUp = options.intValue("raw-warm-up", StrongestDrain.DEFAULT_WARM_UP);
        if (rawWarmUp < 0) {
            throw new IllegalArgumentException("--raw-warm-up must be 0 or more, was " + rawWarmUp);
        }
        String peer = options.value("peer", "camel");
        if (!peer.equals("camel") && !peer.equals("none")) {
            throw new IllegalArgumentException("--peer must be camel or none, was '" + peer + "'");
        }
        this.camel = peer.equals("camel");
        this.camelTuning = CamelLoginsRoute.Tuning.from(options);
    }

    /** A benchmark other than this one, run with the whole argument list. */
    @FunctionalInterface
    private interface Benchmark {
        void run(String[] args) throws Exception;
    }

    /** The other benchmarks, by the name given as the first argument. */
    private static final Map<String, Benchmark> OTHERS = Map.of(
            "playtime", PlaytimeAggregationBenchmark::main,
            PlaytimeApiBenchmark.NAME, args -> PlaytimeApiBenchmark.run(Options.parse(args)),
            TrackingArchiveBenchmark.NAME, TrackingArchiveBenchmark::main,
            TrackingLoadBenchmark.NAME, TrackingLoadBenchmark::main,
            LakeWriterBenchmark.NAME, LakeWriterBenchmark::main,
            LakeKinesisBenchmark.NAME, LakeKinesisBenchmark::main,
            LoginsStepsBenchmark.NAME, LoginsStepsBenchmark::main,
            ChaosBenchmark.NAME, ChaosBenchmark::main);

    public static void main(String[] args) throws Exception {
        Benchmark other = args.length > 0 ? OTHERS.get(args[0]) : null;
        if (other != null) {
            other.run(args);
            return;
        }
        Options options = Options.forCommand(args, "logins", "[--runs 3] [--messages 100000] [--rate 1000] "
                + "[--seconds 60] [--heap 256m] [--receivers N] [--writers N] [--batch-size N] [--linger-ms N] "
                + "[--max-in-flight N] [--pool-size N] [--peer camel|none] [--camel-consumers N] "
                + "[--camel-max-per-poll N] [--camel-batch-size N] [--camel-linger-ms N] "
                + "[--camel-visibility-seconds N] [--camel-rewrite-batched-inserts true|false] "
                + "[--postgres service|embedded] [--postgres-server 127.0.0.1:5432] [--raw-warm-up N]");
        int runs = options.intValue("runs", 3);
        Path base = Files.createTempDirectory("sluice-bench-");
        say("# Sluice logins benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        say(MachineFacts.describe());
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).queue(PipelineTuning.QUEUE, 5).start();
             SqsClient sqs = SqsClients.create(AwsClientSettings.local(stack.sqs().endpoint(), "us-east-1"));
             BenchPostgres postgres = BenchPostgres.open(options.value("postgres", BenchPostgres.SERVICE),
                     options.value("postgres-server", "127.0.0.1:5432"), stack);
             PostgresDatabase db = new PostgresDatabase(new PostgresSettings(postgres.jdbcUrl()))) {
            LoginsBenchmark bench = new LoginsBenchmark(stack, postgres.jdbcUrl(), sqs, db, options);
            say("Postgres: " + postgres.describe());
            say("Settings: " + bench.tuning + "; worker JVMs " + String.join(" ", WorkerProcess.jvmOptions(bench.heap))
                    + "; " + bench.messages + " messages; steady " + bench.rate + " msg/s for " + bench.seconds + " s"
                    + "; raw drains with " + StrongestDrain.CONSUMERS + " consumers, warm-up " + bench.rawWarmUp
                    + (bench.camel ? "; Camel " + bench.camelTuning : "; no peer"));
            LoginsWorker.build(stack.sqs().endpoint(), bench.jdbcUrl, bench.tuning, bench.keyset,
                    UnaryOperator.identity()).close(); // creates the tables the runs truncate
            bench.sql(s -> s.execute(CamelLoginsRoute.CREATE_TABLE));
            List<Run> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                Run result = bench.run(run);
                results.add(result);
                say(String.format(Locale.ROOT, "run %d: raw %s msg/s (best %.0f), Camel %.0f msg/s, pipeline %.0f "
                                + "msg/s, ratio %.2f, Sluice/Camel %.2f; steady written %.0f msg/s, p50 %d ms, p99 %d "
                                + "ms; worker heap peak %d MB", run, result.raw().describe(), result.rawPerSecond(),
                        result.camelPerSecond(), result.pipelinePerSecond(), result.ratio(), result.peerRatio(),
                        result.writtenPerSecond(), result.p50Millis(), result.p99Millis(), result.heapPeakMb()));
            }
            say(table(results));
        } finally {
            deleteRecursively(base);
        }
    }

    private Run run(int run) {
        String load = MachineFacts.loadAverage();
        truncate();
        StrongestDrain.Result raw = StrongestDrain.measure(stack.sqs().endpoint(), queueUrl, PipelineTuning.source(),
                messages, rawWarmUp, heap, () -> QueueFiller.fill(sqs, queueUrl, messages, 10L * run),
                () -> awaitDepth(0));

        // The peer and the pipeline get the very same bodies, so their rows can be compared.
        long seed = 10L * run + 1;
        double camelPerSecond = Double.NaN;
        long camelHeapPeakMb = -1;
        if (camel) {
            QueueFiller.fill(sqs, queueUrl, messages, seed);
            List<String> args = new ArrayList<>(List.of(stack.sqs().endpoint().toString(),
                    jdbcUrl, PipelineTuning.QUEUE, "--pool-size",
                    Integer.toString(tuning.poolSize())));
            args.addAll(camelTuning.toArgs());
            try (WorkerProcess route = WorkerProcess.start(heap, CamelLoginsWorker.class, args,
                    Map.of(Keyset.ENV_KEYSET, keyset))) {
                long started = route.awaitStarted();
                long drained = awaitHandled(CamelLoginsRoute.TABLE, messages);
                camelPerSecond = messages / ((drained - started) / 1000.0);
                camelHeapPeakMb = Long.parseLong(route.stop().get("sampled_peak_mb"));
            }
        }

        QueueFiller.fill(sqs, queueUrl, messages, seed);
        try (WorkerProcess worker = WorkerProcess.start(heap, stack.sqs().endpoint(), jdbcUrl,
                tuning, keyset)) {
            long started = worker.awaitStarted();
            long drained = awaitHandled(messages);
            double pipelinePerSecond = messages / ((drained - started) / 1000.0);
            if (camel) {
                checkSameRows();
            }

            worker.measure();
            long before = rows();
            PacedSender.Sent sent = PacedSender.run(sqs, queueUrl, rate, Duration.ofSeconds(seconds), 1000L + run);
            long sendingEnded = System.currentTimeMillis();
            long writtenInWindow = rows() - before;
            long caughtUp = awaitHandled(messages + sent.messages());
            Map<String, String> latency = worker.report();
            Map<String, String> heapLine = worker.stop();

            String gc = heapLine.entrySet().stream().filter(e -> e.getKey().startsWith("gc["))
                    .map(e -> e.getKey().substring(3, e.getKey().length() - 1) + " " + e.getValue())
                    .reduce((a, b) -> a + ", " + b).orElse("");
            return new Run(raw, camelPerSecond, camelHeapPeakMb, pipelinePerSecond, sent.perSecond(),
                    writtenInWindow / (sent.took().toNanos() / 1e9), caughtUp - sendingEnded,
                    Long.parseLong(latency.get("p50_ms")), Long.parseLong(latency.get("p99_ms")),
                    Long.parseLong(latency.get("max_ms")), Long.parseLong(latency.get("count")),
                    Long.parseLong(heapLine.get("sampled_peak_mb")), Long.parseLong(heapLine.get("pool_peaks_mb")),
                    gc, load);
        }
    }

    /**
     * Waits until {@code user_logins} holds {@code expected} rows and the queue is empty (nothing visible or
     * claimed, so every message was acknowledged); returns that moment in epoch ms, to within {@link #POLL_EVERY}.
     */
    private long awaitHandled(long expected) {
        return awaitHandled("user_logins", expected);
    }

    private long awaitHandled(String table, long expected) {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long rows = rows(table);
            if (rows > expected) {
                throw new IllegalStateException(table + " holds " + rows + " rows, more than the " + expected
                        + " messages sent");
            }
            if (rows == expected && depth() == 0) {
                return System.currentTimeMillis();
            }
            pause();
        }
        throw new IllegalStateException("not drained within " + DRAIN_TIMEOUT + ": " + rows(table) + " of "
                + expected + " rows in " + table + ", " + depth() + " messages on the queue");
    }

    private void awaitDepth(long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (depth() != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("queue holds " + depth() + " messages, expected " + expected);
            }
            pause();
        }
    }

    private long depth() {
        return SqsSource.approximateDepth(sqs, queueUrl);
    }

    private long rows() {
        return rows("user_logins");
    }

    /** {@code table} is one of this class's constants, never input. */
    private long rows(String table) {
        return count("SELECT count(*) FROM " + table);
    }

    private long count(String query) {
        return sql(s -> {
            try (ResultSet rs = s.executeQuery(query)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * The peer's end state is Sluice's: as many rows as messages, one per message id, no rejects, and the same rows
     * (masked tokens and derived columns included) in both tables. Fails the run otherwise.
     */
    private void checkSameRows() {
        long camelIds = count("SELECT count(DISTINCT source_message_id) FROM " + CamelLoginsRoute.TABLE);
        long onlyCamel = count("SELECT count(*) FROM (SELECT " + COMPARED + " FROM " + CamelLoginsRoute.TABLE
                + " EXCEPT ALL SELECT " + COMPARED + " FROM user_logins) d");
        long onlySluice = count("SELECT count(*) FROM (SELECT " + COMPARED + " FROM user_logins EXCEPT ALL SELECT "
                + COMPARED + " FROM " + CamelLoginsRoute.TABLE + ") d");
        long rejects = count("SELECT count(*) FROM login_errors");
        if (camelIds != messages || onlyCamel != 0 || onlySluice != 0 || rejects != 0) {
            throw new IllegalStateException("the Camel route's rows differ from Sluice's: " + camelIds
                    + " message ids of " + messages + ", " + onlyCamel + " rows only in " + CamelLoginsRoute.TABLE
                    + ", " + onlySluice + " only in user_logins, " + rejects + " rejects");
        }
    }

    private void truncate() {
        sql(s -> s.executeUpdate("TRUNCATE user_logins, login_errors, " + CamelLoginsRoute.TABLE));
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Statement statement) throws SQLException;
    }

    <T> T sql(Query<T> query) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            return query.run(s);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits one {@link #POLL_EVERY} between looks at the queue and the tables. */
    static void pause() {
        try {
            Thread.sleep(POLL_EVERY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String table(List<Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("\n| run | load avg (1/5/15) | raw drain msg/s by consumers | best raw msg/s | Camel msg/s "
                + "| pipeline drain msg/s | ratio | Sluice/Camel | steady sent msg/s | written msg/s | catch-up ms "
                + "| e2e p50 ms | e2e p99 ms | e2e max ms | latencies | worker heap peak MB (sampled / pool sum) "
                + "| Camel heap peak MB (sampled) | GC count/time |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %.0f | %.0f | %.0f | %.3f | %.2f | %.1f | %.1f "
                            + "| %d | %d | %d | %d | %d | %d / %d | %d | %s |%n", i + 1, r.load(), r.raw().describe(),
                    r.rawPerSecond(), r.camelPerSecond(), r.pipelinePerSecond(), r.ratio(), r.peerRatio(),
                    r.sentPerSecond(), r.writtenPerSecond(), r.catchUpMillis(), r.p50Millis(), r.p99Millis(),
                    r.maxMillis(), r.latencyCount(), r.heapPeakMb(), r.poolPeaksMb(), r.camelHeapPeakMb(), r.gc()));
        }
        out.append("\n| measure | median | min | max |\n|---|---|---|---|\n");
        for (int consumers : StrongestDrain.CONSUMERS) {
            summary(out, "raw drain msg/s, " + consumers + " consumers", runs,
                    r -> r.raw().perSecond().get(consumers), "%.0f");
        }
        summary(out, "best raw drain msg/s (the limit)", runs, Run::rawPerSecond, "%.0f");
        summary(out, "pipeline drain msg/s", runs, Run::pipelinePerSecond, "%.0f");
        summary(out, "ratio (target >= " + TARGET_RATIO + ")", runs, Run::ratio, "%.3f");
        summary(out, "Camel drain msg/s", runs, Run::camelPerSecond, "%.0f");
        summary(out, "Sluice/Camel (target >= " + TARGET_PEER_RATIO + ")", runs, Run::peerRatio, "%.2f");
        summary(out, "steady written msg/s", runs, Run::writtenPerSecond, "%.1f");
        summary(out, "e2e p50 ms", runs, Run::p50Millis, "%.0f");
        summary(out, "e2e p99 ms", runs, Run::p99Millis, "%.0f");
        summary(out, "worker heap peak MB (sampled)", runs, Run::heapPeakMb, "%.0f");
        summary(out, "Camel heap peak MB (sampled)", runs, Run::camelHeapPeakMb, "%.0f");
        double ratio = median(runs.stream().mapToDouble(Run::ratio).toArray());
        out.append(String.format(Locale.ROOT, "%nMedian ratio %.3f: target >= %.1f %s%n", ratio, TARGET_RATIO,
                ratio >= TARGET_RATIO ? "MET" : "MISSED"));
        double peer = median(runs.stream().mapToDouble(Run::peerRatio).toArray());
        if (!Double.isNaN(peer)) {
            out.append(String.format(Locale.ROOT, "Median Sluice/Camel %.2f: target >= %.1f %s%n", peer,
                    TARGET_PEER_RATIO, peer >= TARGET_PEER_RATIO ? "MET" : "MISSED"));
        }
        return out.toString();
    }

    /** A {@code | name | median | min | max |} row of {@code value} over the runs. */
    static <R> void summary(StringBuilder out, String name, List<R> runs, ToDoubleFunction<R> value, String format) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        out.append("| ").append(name).append(" | ")
                .append(String.format(Locale.ROOT, format, median(values))).append(" | ")
                .append(String.format(Locale.ROOT, format, values[0])).append(" | ")
                .append(String.format(Locale.ROOT, format, values[values.length - 1])).append(" |\n");
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
