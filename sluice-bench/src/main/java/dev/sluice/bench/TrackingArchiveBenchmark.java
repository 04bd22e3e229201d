package dev.sluice.bench;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.Runner;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.pipelines.tracking.TrackingEventGenerator;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The tracking archiver benchmark (docs/benchmarks.md): the shipped tracking definition's archiver (its runner,
 * built by the catalog as {@code sluice run tracking} builds it; its jobs not started) against the raw drain
 * of the same queue in the same run: the strongest of 4, 16 and 32 consumers, each in its own JVM
 * ({@link StrongestDrain}).
 *
 * <p>One embedded stack (ElasticMQ, s3proxy, PostgreSQL 17 for the rejects table, all in this JVM) serves every run.
 * After one unmeasured run of both phases (the JIT's warm-up of servers and pipeline alike), per run, in alternating
 * order, each phase on a new queue ({@link #useNewQueue}): fill the queue with {@code events} bodies from {@link TrackingEventGenerator} (no
 * duplicates, none malformed) and drain it raw with the archiver's polling, once per consumer count (refilled each
 * time, the best counts); fill it again with
 * the very same bodies and time the archiver, with the shipped settings, from its start until every
 * event is durable: the runner's written count says {@code events} were stored, no message is left on the queue and
 * nothing is in flight. Then the stored files are read back: they must hold {@code events} lines, all different,
 * and nothing may have been rejected. Reported: events/s of both and the ratio archiver / raw; target ≥
 * {@value #TARGET_RATIO}.
 *
 * <p>Usage: {@code tracking-archive [--events 50000] [--runs 3] [--seed 7]}; {@code events} must be a multiple of
 * the archive's {@code maxEvents} (10,000), so every file rolls by count and none waits out its 60 s age.
 */
public final class TrackingArchiveBenchmark {
    public static final String NAME = "tracking-archive";
    static final double TARGET_RATIO = 0.8;
    private static final Duration DURABLE_TIMEOUT = Duration.ofMinutes(5);
    private static final String RAW_DRAIN_HEAP = "256m";
    /** The archiver runs warm in this JVM (after the warm-up run), so each raw drain's JVM is warmed up too. */
    private static final int RAW_DRAIN_WARM_UP = StrongestDrain.DEFAULT_WARM_UP;
    /** One "now" for every body's {@code received_at}, so a refill with the same seed sends the very same bodies. */
    private static final Clock GENERATED_AT = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    record Run(int number, boolean rawFirst, StrongestDrain.Result raw, double archiverPerSecond, String loadAtStart,
               String loadAtEnd, String cpuBusy) {
        double rawPerSecond() {
            return raw.best();
        }

        double ratio() {
            return archiverPerSecond / rawPerSecond();
        }
    }

    /** The shipped source's polling and the runner's receivers: what the raw drain is given too. */
    private static final SqsSourceSettings SOURCE = ShippedTracking.definition().at("source").without("type")
            .bind(SqsSourceSettings.class);
    private static final RunnerSettings RUNNER = ShippedTracking.definition().at("runner").bind(RunnerSettings.class);

    /** The queue of the phase under way. */
    private String queue;
    private final URI sqsEndpoint;
    private final URI s3Endpoint;
    private final String jdbcUrl;
    private final SqsClient sqs;
    private String queueUrl;
    private final S3Client s3;
    private final PostgresDatabase db;
    private final int events;
    private final long seed;

    private TrackingArchiveBenchmark(URI sqsEndpoint, URI s3Endpoint, String jdbcUrl, SqsClient sqs, S3Client s3,
                                     PostgresDatabase db, int events, long seed) {
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
        this.jdbcUrl = jdbcUrl;
        this.sqs = sqs;
        this.s3 = s3;
        this.db = db;
        this.events = events;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.forCommand(args, NAME, "[--events 50000] [--runs 3] [--seed 7]");
        int events = options.intValue("events", 50_000);
        int runs = options.intValue("runs", 3);
        int rollEvery = ShippedTracking.definition().at("sink", "roll", "maxEvents").bind(Integer.class);
        if (events < rollEvery || events % rollEvery != 0) {
            throw new IllegalArgumentException("--events must be a positive multiple of the archive's maxEvents ("
                    + rollEvery + "), so every file rolls by count instead of waiting out its age, was " + events);
        }
        Path base = Files.createTempDirectory("sluice-bench-archive-");
        say("# Sluice tracking-archive benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        say(MachineFacts.describe());
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base)
                .bucket(ShippedTracking.bucket()).start();
             SqsClient sqs = SqsClients.create(AwsClientSettings.local(stack.sqs().endpoint(), "us-east-1"));
             S3Client s3 = stack.s3().newClient();
             PostgresDatabase db = new PostgresDatabase(new PostgresSettings(stack.postgres().jdbcUrl()))) {
            TrackingArchiveBenchmark bench = new TrackingArchiveBenchmark(
                    stack.sqs().endpoint(), stack.s3().endpoint(),
                    stack.postgres().jdbcUrl(), sqs, s3, db, events, options.intValue("seed", 7));
            say("Settings: the shipped tracking definition (" + RUNNER + "; sink " + ShippedTracking.definition()
                    .at("sink").value() + "; " + SOURCE + "); " + events + " events per drain; servers and archiver "
                    + "in this JVM, each raw drain in its own");
            // Both phases once, unmeasured: every server and the pipeline share this JVM, and a phase that ran first
            // while they were still cold measured low (docs/benchmarks.md: both rates tripled from run 1 to run 4).
            Run warmUp = bench.run(0);
            say(String.format(Locale.ROOT, "warm-up (cold JVM, not in the table): raw %.0f events/s, archiver %.0f "
                    + "events/s", warmUp.rawPerSecond(), warmUp.archiverPerSecond()));
            List<Run> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                Run result = bench.run(run);
                results.add(result);
                say(String.format(Locale.ROOT, "run %d (%s first): raw %.0f events/s, archiver %.0f events/s, "
                                + "ratio %.2f; load %s -> %s", run, result.rawFirst() ? "raw" : "archiver",
                        result.rawPerSecond(), result.archiverPerSecond(), result.ratio(), result.loadAtStart(),
                        result.loadAtEnd()));
            }
            say(table(results));
        } finally {
            LoginsBenchmark.deleteRecursively(base);
        }
    }

    private Run run(int number) {
        String loadAtStart = MachineFacts.loadAverage();
        CpuShare start = CpuShare.now();
        boolean rawFirst = number % 2 == 1;
        StrongestDrain.Result raw;
        double archiver;
        if (rawFirst) {
            raw = rawDrain(number);
            archiver = archiver(number);
        } else {
            archiver = archiver(number);
            raw = rawDrain(number);
        }
        return new Run(number, rawFirst, raw, archiver, loadAtStart, MachineFacts.loadAverage(),
                CpuShare.now().since(start));
    }

    private void fill() {
        QueueFiller.fill(sqs, queueUrl, events, seed,
                senderSeed -> new TrackingEventGenerator(senderSeed, 0, 0, GENERATED_AT)::next);
    }

    /**
     * A new, empty queue (named after the default) for each phase: {@code Runner.stop()} can return while a
     * receiver's 20 s long poll is still out, and what that poll gets is claimed for the 5 min visibility timeout by
     * a runner that no longer processes it; on a shared queue it took the next phase's first messages.
     */
    private void useNewQueue(int run, String phase) {
        queue = ShippedTracking.queue() + "-" + run + "-" + phase;
        queueUrl = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
    }

    /** The strongest raw drain ({@link StrongestDrain}), each in its own JVM with the heap a worker gets. */
    private StrongestDrain.Result rawDrain(int run) {
        useNewQueue(run, "raw");
        return StrongestDrain.measure(sqsEndpoint, queueUrl, SOURCE, events, RAW_DRAIN_WARM_UP, RAW_DRAIN_HEAP,
                this::fill, this::requireEmpty);
    }

    private void requireEmpty() {
        if (depth() != 0) {
            throw new IllegalStateException("the raw drain left " + depth() + " messages on the queue");
        }
    }

    private double archiver(int run) {
        useNewQueue(run, "archiver");
        fill();
        long started;
        long durable;
        // Its own clients, closed with the pipeline, as the pipeline runs in production; only the runner starts.
        ConfigLoader loader = new ConfigLoader(Map.of());
        Catalog catalog = Catalog.load();
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader,
                Optional.of(loader.read("bench.yaml", onThisStack())));
        try (Resources resources = new Resources(catalog, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                Clock.systemUTC());
             AssembledPipeline tracking = new PipelineAssembler(catalog, resources)
                     .assemble(ShippedTracking.NAME, definitions.definition(ShippedTracking.NAME))) {
            Runner<Event> runner = tracking.runner();
            started = System.nanoTime();
            try {
                runner.start();
                durable = awaitDurable(runner);
            } finally {
                runner.stop();
            }
        }
        checkStoredAndClear();
        return events / ((durable - started) / 1e9);
    }

    /** The shipped definition on the embedded servers, reading the phase's queue. */
    private String onThisStack() {
        return """
                aws: {region: us-east-1, endpoints: {sqs: "%s", s3: "%s"}, accessKeyId: "%s", secretAccessKey: "%s"}
                postgres: {url: "%s"}
                pipelines:
                  tracking:
                    source: {queue: %s}
                """.formatted(sqsEndpoint, s3Endpoint, LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, jdbcUrl, queue);
    }

    /** Polls until every event is stored, every message deleted and nothing in flight; returns that nanoTime. */
    private long awaitDurable(Runner<Event> runner) {
        long deadline = System.nanoTime() + DURABLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            double stored = runner.metrics().writtenCount();
            if (stored > events) {
                throw new IllegalStateException("the archiver stored " + stored + " events, more than the "
                        + events + " sent");
            }
            if (stored == events && runner.inFlight() == 0 && depth() == 0) {
                return System.nanoTime();
            }
            LoginsBenchmark.pause();
        }
        throw new IllegalStateException("not durable within " + DURABLE_TIMEOUT + ": "
                + runner.metrics().writtenCount() + " of " + events + " events stored, "
                + depth() + " messages on the queue, " + runner.inFlight() + " in flight");
    }

    /**
     * Reads every stored file back: together they must hold every event once (as many lines as events, all
     * different) and the rejects table must be empty; then deletes them and empties the table for the next run.
     */
    private void checkStoredAndClear() {
        Set<String> lines = new HashSet<>();
        long lineCount = 0;
        List<S3Object> files = s3.listObjectsV2Paginator(r -> r.bucket(ShippedTracking.bucket())
                .prefix(ShippedTracking.archivePrefix())).contents().stream().toList();
        for (S3Object file : files) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    s3.getObject(r -> r.bucket(ShippedTracking.bucket()).key(file.key()))), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    lineCount++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read raw file " + file.key(), e);
            }
        }
        long rejects = rejects();
        if (lineCount != events || lines.size() != events || rejects != 0) {
            throw new IllegalStateException("the stored files hold " + lineCount + " lines (" + lines.size()
                    + " different) in " + files.size() + " files and " + rejects + " events were rejected; expected "
                    + events + " different lines and no rejects");
        }
        files.forEach(file -> s3.deleteObject(r -> r.bucket(ShippedTracking.bucket()).key(file.key())));
    }

    private long rejects() {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + ShippedTracking.rejects())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long depth() {
        return SqsSource.approximateDepth(sqs, queueUrl);
    }

    private static String table(List<Run> runs) {
        StringBuilder md = new StringBuilder("\n| run | first | raw drain events/s | archiver events/s | ratio "
                + "(target ≥ " + TARGET_RATIO + ") | raw drain events/s by consumers | load avg (1/5/15) at start "
                + "| at end | cores busy machine / bench JVM |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.2f | %s | %s | %s | %s |%n", r.number(),
                    r.rawFirst() ? "raw" : "archiver", r.rawPerSecond(), r.archiverPerSecond(), r.ratio(),
                    r.raw().describe(),
                    r.loadAtStart(), r.loadAtEnd(), r.cpuBusy()));
        }
        md.append("\n| measure | median | min | max |\n|---|---|---|---|\n");
        LoginsBenchmark.summary(md, "best raw drain events/s (the limit)", runs, Run::rawPerSecond, "%.0f");
        LoginsBenchmark.summary(md, "archiver events/s", runs, Run::archiverPerSecond, "%.0f");
        LoginsBenchmark.summary(md, "ratio", runs, Run::ratio, "%.2f");
        double ratio = LoginsBenchmark.median(runs.stream().mapToDouble(Run::ratio).toArray());
        md.append(String.format(Locale.ROOT, "%nMedian ratio %.2f: target >= %.1f %s%n", ratio, TARGET_RATIO,
                ratio >= TARGET_RATIO ? "MET" : "MISSED"));
        return md.toString();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
