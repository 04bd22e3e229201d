package dev.sluice.cli;

import dev.sluice.aws.kinesis.KinesisClients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.local.LaptopPlatform;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.lake.LakeEventGenerator;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.time.Duration;

/**
 * {@code sluice demo}: the embedded stack, every pipeline, and generators feeding them, with a live progress line.
 * The logins pipeline masks {@code device_id} in {@code siv} mode here, so {@code sluice unmask} has something to
 * recover.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the embedded stack, the pipelines and generators feeding them; Ctrl-C stops cleanly.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption data;

    @Option(names = "--rate", paramLabel = "N/s", defaultValue = "20/s", converter = Rate.Converter.class,
            description = "login events per second (default: ${DEFAULT-VALUE})")
    Rate rate;

    @Option(names = "--duplicate-rate", paramLabel = "R", defaultValue = "0.02",
            description = "share of repeated bodies (default: ${DEFAULT-VALUE})")
    double duplicateRate;

    @Option(names = "--malformed-rate", paramLabel = "R", defaultValue = "0.03",
            description = "share of bodies that break a rule (default: ${DEFAULT-VALUE})")
    double malformedRate;

    @Mixin
    ReadApi api;

    private static final int DATASET_USERS = 10;
    private static final long DATASET_ROWS = 100_000;
    private static final Duration DATASET_EVERY = Duration.ofSeconds(20);
    /** App events per second; with a one-minute load and charts every two minutes the charts fill within minutes. */
    private static final Rate TRACKING_RATE = new Rate(50);
    /** Product events per second: the Kinesis emulator takes about a hundred records a second. */
    private static final Rate LAKE_RATE = new Rate(20);
    private static final int LAKE_TYPES = 100;
    private static final double LAKE_LATE_RATE = 0.02;
    private static final int LAKE_BATCH = 10;

    @Override
    public Integer call() throws Exception {
        if (!LocalStack.platformAllowsStart(LaptopPlatform.check(), System.err)) {
            return 2;
        }
        ShutdownSignal signal = ShutdownSignal.install(
                RunnerSettings.DEFAULTS.stopTimeout().plus(ShutdownSignal.CLOSING_TIME));
        System.out.println("Starting the embedded stack in " + data.path + " ...");
        try (LocalStack local = LocalStack.start(data.path)) {
            local.writeEnvFile(data.path.resolve("env"));
            boolean kinesisUp = local.stack().kinesis().isPresent();
            List<String> overlays = new ArrayList<>(List.of(LocalStack.credentialsYaml(), SIV_DEVICE_IDS,
                    TRACKING_TIMING));
            if (!kinesisUp) {
                overlays.add(LAKE_FROM_SQS);
            }
            ConfigSource.Loaded loaded = ConfigSource.read(null, local.environment(), overlays.toArray(String[]::new));
            ConfigNode lakeSource = loaded.definitions().definition("lake").at("source");
            SluiceConfig config = demoConfig(loaded.wired(), local);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ApiToken token = ApiToken.fromEnvironment(System.getenv());
            try (RunningPipelines running = RunningPipelines.start(loaded.withWired(config), loaded.known(), local.environment(),
                         registry);
                 ApiServer server = api.start(running, registry, token);
                 SqsClient sqs = local.stack().sqs().newClient();
                 KinesisClient kinesis = KinesisClients.create(config.aws())) {
                EventSender sender = EventSender.logins(sqs, SqsSource.queueUrl(sqs, ConfigSource.LOGINS_QUEUE),
                        System.nanoTime(), duplicateRate, malformedRate);
                EventSender tracking = EventSender.tracking(sqs,
                        SqsSource.queueUrl(sqs, ConfigSource.TRACKING_QUEUE), System.nanoTime(), duplicateRate,
                        malformedRate);
                LakeEventSender lake = new LakeEventSender(
                        new LakeEventGenerator(System.nanoTime(), LAKE_TYPES, duplicateRate, LAKE_LATE_RATE),
                        kinesisUp ? LakeEventSender.kinesis(kinesis, lakeSource.at("stream").text().orElseThrow())
                                : LakeEventSender.sqs(sqs, SqsSource.queueUrl(sqs,
                                lakeSource.at("queue").text().orElseThrow())),
                        LAKE_BATCH, Clock.systemUTC());
                List<Thread> generators = List.of(
                        Thread.ofVirtual().name("demo-logins").start(() -> generate(sender, rate)),
                        Thread.ofVirtual().name("demo-tracking").start(() -> generate(tracking, TRACKING_RATE)),
                        Thread.ofVirtual().name("demo-lake").start(() -> generate(lake)));
                Thread datasets = Thread.ofVirtual().name("demo-datasets")
                        .start(() -> uploadDatasets(config, signal));
                try {
                    printWhereToLook(local, server, token);
                    watch(running, sender, signal);
                } finally {
                    for (Thread generator : generators) {
                        generator.interrupt();
                        generator.join();
                    }
                    datasets.join();
                }
                server.close();
                running.close();
                running.summary().forEach(System.out::println);
            }
        } finally {
            signal.cleanedUp();
        }
        return 0;
    }

    private static void generate(EventSender sender, Rate rate) {
        try {
            sender.send(Long.MAX_VALUE, rate, null);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            System.err.println("sluice: a demo generator stopped: " + e.getCause());
        }
    }

    private static void generate(LakeEventSender lake) {
        try {
            lake.send(Long.MAX_VALUE, null, LAKE_RATE);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("sluice: the demo's lake generator stopped: " + e);
        }
    }

    /**
     * Drops a generated playtime file of {@value #DATASET_ROWS} rows into the bucket every
     * {@link #DATASET_EVERY} seconds, with its notification, until the shutdown signal; an upload under way is
     * finished, not interrupted. Keys carry the start time, so a demo restarted on the same data adds files instead
     * of overwriting them.
     */
    private void uploadDatasets(SluiceConfig config, ShutdownSignal signal) {
        String started = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        EventDurationFileGenerator generator = new EventDurationFileGenerator(DATASET_USERS, System.nanoTime());
        try (PlaytimePublisher publisher = PlaytimePublisher.open(config.aws(), ConfigSource.PLAYTIME_QUEUE)) {
            Path directory = Files.createTempDirectory("sluice-demo-datasets-");
            try {
                int i = 0;
                do {
                    GeneratedFile file = generator.write(directory.resolve("dataset.parquet"), DATASET_ROWS);
                    publisher.upload(file.file(), ConfigSource.PLAYTIME_BUCKET,
                            "demo/" + started + "-" + ++i + ".parquet");
                    Files.delete(file.file());
                } while (!signal.await(DATASET_EVERY));
            } finally {
                Files.deleteIfExists(directory.resolve("dataset.parquet"));
                Files.deleteIfExists(directory);
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            System.err.println("sluice: the demo's dataset uploads stopped: " + e);
        }
    }

    /** Logins' device ids masked with siv, so {@code sluice unmask} can be tried on a row. */
    private static final String SIV_DEVICE_IDS = "pipelines: {logins: {processors: [{id: mask, fields: {device_id: siv}}]}}";

    /** Tracking loads every minute and draws every two (first after a minute), so its charts fill within minutes. */
    private static final String TRACKING_TIMING = "pipelines: {tracking: {jobs: [{id: load, every: 1m}, "
            + "{id: charts, every: 2m, firstRun: 1m}]}}";

    /**
     * Where node, and so the Kinesis emulator, is missing, the lake reads the {@code lake-events} queue: the source
     * replaced, as a user's file replaces it (docs/pipelines/lake.md).
     */
    private static final String LAKE_FROM_SQS = "pipelines: {lake: {source: {type: sqs, queue: "
            + LocalStack.LAKE_QUEUE + "}}}";

    /** The embedded SQS, S3 and Kinesis with their local credentials, whatever AWS settings this shell has. */
    private static SluiceConfig demoConfig(SluiceConfig config, LocalStack local) {
        return new SluiceConfig(local.awsSettings(config.aws().region()), config.postgres(), config.redis(),
                config.keys());
    }

    private void printWhereToLook(LocalStack local, ApiServer server, ApiToken token) {
        System.out.println(local.describe());
        System.out.println();
        System.out.println("Look at the rows:     psql \"" + local.psqlUrl() + "\" -c 'SELECT * FROM user_logins LIMIT 5'");
        System.out.println("Look at the rejects:  psql \"" + local.psqlUrl() + "\" -c 'SELECT reason, raw_body FROM login_errors LIMIT 5'");
        System.out.println("Dashboard:            " + server.url() + "/ (asks for the API token once)");
        System.out.println("Recover a device id:  ./sluice unmask --keyset " + local.keysetFile() + " sv1....");
        System.out.println("Playtime totals:      curl -H 'Authorization: Bearer " + (token.generated() ? token.value()
                : "$" + ApiToken.ENVIRONMENT_VARIABLE) + "' " + server.url() + "/api/playtime");
        System.out.println("Tracking charts:      " + server.url() + "/charts?pipeline=tracking (loads every minute, draws every two)");
        System.out.println("Warehouse rows:       psql \"" + local.psqlUrl() + "\" -c 'SELECT event, count(*) FROM events GROUP BY 1'");
        System.out.println("The lake:             (set -a; . " + data.path.resolve("env") + "; ./sluice lake query \"SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC\")"
                + (local.stack().kinesis().isPresent() ? "" : "   (no node here: the lake reads the lake-events queue)"));
        System.out.println("Health and metrics:   " + server.url() + "/ready, " + server.url() + "/metrics (token too)");
        System.out.println(ReadApi.describe(token));
        System.out.println("Ctrl-C stops everything cleanly; data stays in " + data.path + ".");
        System.out.println();
    }

    /** Prints the progress line until Ctrl-C. */
    private static void watch(RunningPipelines running, EventSender sender, ShutdownSignal signal)
            throws InterruptedException {
        ProgressLine progress = new ProgressLine(System.out);
        while (!signal.await(Duration.ofMillis(500))) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "sent %,d", sender.sent()));
            for (Runner<?> r : running.runners()) {
                line.append("  |  ").append(RunningPipelines.summary(r.pipeline(), r.metrics(), r.inFlight()));
            }
            progress.show(line.toString());
        }
        progress.finish("stopping ...");
    }
}
