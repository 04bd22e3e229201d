package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.config.DurationText;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * {@code sluice generate logins|playtime|tracking|lake …}: realistic test traffic for a seed pipeline's source, and
 * {@code sluice generate PIPELINE} for any pipeline that declares a schema ({@link PipelineTraffic}).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Send generated events to a pipeline's source: the seed flows have their own generators (the "
                + "subcommands); any other PIPELINE gets bodies made from its declared schema (its first schema "
                + "processor after parse_json), sent to its sqs or kinesis source.",
        subcommands = {GenerateCommand.Logins.class, GenerateCommand.Playtime.class, GenerateCommand.Tracking.class,
                GenerateLakeCommand.class})
final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Parameters(arity = "0..1", paramLabel = "PIPELINE",
            description = "a pipeline your file defines (with --config), with a schema processor after parse_json")
    String pipeline;

    @Option(names = "--count", paramLabel = "N", description = "messages to send (required with PIPELINE)")
    Long count;

    @Option(names = "--rate", paramLabel = "N/s", converter = Rate.Converter.class,
            description = "messages per second (default: as fast as possible)")
    Rate rate;

    @Mixin
    Traffic traffic;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (pipeline == null || count == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), pipeline == null
                    ? "name a pipeline (sluice generate PIPELINE --count N) or a seed flow's generator"
                    : "--count is required with a pipeline: sluice generate " + pipeline + " --count N");
        }
        PipelineTraffic.send(ConfigSource.read(traffic.config, System.getenv()), pipeline, count, rate,
                traffic.seed(), traffic.duplicateRate, traffic.malformedRate, System.out);
        return 0;
    }

    @Command(name = "logins", mixinStandardHelpOptions = true,
            description = "Send login events to the logins queue (endpoint from --config or AWS_ENDPOINT_URL_SQS).")
    static final class Logins implements Callable<Integer> {
        @Option(names = "--count", required = true, paramLabel = "N", description = "messages to send")
        long count;

        @Option(names = "--rate", paramLabel = "N/s", converter = Rate.Converter.class,
                description = "messages per second (default: as fast as possible)")
        Rate rate;

        @Option(names = "--queue", paramLabel = "NAME", description = "queue name or URL (default: from the config, "
                + ConfigSource.LOGINS_QUEUE + ")")
        String queue;

        @Mixin
        Traffic traffic;

        @Override
        public Integer call() throws Exception {
            if (count < 1) {
                throw new IllegalArgumentException("--count must be at least 1, was " + count);
            }
            var loaded = ConfigSource.read(traffic.config, System.getenv());
            String target = queue != null ? queue : loaded.definitions().definition("logins").at("source", "queue")
                    .text().orElse(ConfigSource.LOGINS_QUEUE);
            try (var sqs = SqsClients.create(loaded.wired().aws())) {
                String url = SqsSource.queueUrl(sqs, target);
                sendShowingProgress(EventSender.logins(sqs, url, traffic.seed(), traffic.duplicateRate,
                        traffic.malformedRate), count, rate, null, target);
            }
            return 0;
        }
    }

    @Command(name = "tracking", mixinStandardHelpOptions = true,
            description = "Send app events shaped like the tracking fixture to the tracking queue (endpoint from "
                    + "--config or AWS_ENDPOINT_URL_SQS); without --count or --duration, until Ctrl-C.")
    static final class Tracking implements Callable<Integer> {
        @Option(names = "--rate", paramLabel = "N/s", defaultValue = "10/s", converter = Rate.Converter.class,
                description = "events per second (default: ${DEFAULT-VALUE})")
        Rate rate;

        @ArgGroup(exclusive = true)
        Amount amount;

        static final class Amount {
            @Option(names = "--count", paramLabel = "N", description = "events to send")
            Long count;

            @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
                    description = "how long to send, like 30s or 5m")
            Duration duration;
        }

        @Option(names = "--queue", paramLabel = "NAME", description = "queue name or URL (default: from the config, "
                + ConfigSource.TRACKING_QUEUE + ")")
        String queue;

        @Mixin
        Traffic traffic;

        @Override
        public Integer call() throws Exception {
            long count = amount != null && amount.count != null ? amount.count : Long.MAX_VALUE;
            Duration duration = amount != null ? amount.duration : null;
            if (count < 1 || duration != null && duration.isZero()) {
                throw new IllegalArgumentException("--count and --duration must be positive");
            }
            var loaded = ConfigSource.read(traffic.config, System.getenv());
            String target = queue != null ? queue : loaded.definitions().definition("tracking").at("source", "queue")
                    .text().orElse(ConfigSource.TRACKING_QUEUE);
            try (var sqs = SqsClients.create(loaded.wired().aws())) {
                String url = SqsSource.queueUrl(sqs, target);
                sendShowingProgress(EventSender.tracking(sqs, url, traffic.seed(), traffic.duplicateRate,
                        traffic.malformedRate), count, rate, duration, target);
            }
            return 0;
        }
    }

    /** The options every queue generator takes: how much bad traffic, the seed, the config. */
    static final class Traffic {
        @Option(names = "--duplicate-rate", paramLabel = "R", defaultValue = "0",
                description = "share of messages that send an earlier event again, 0-1 (default: ${DEFAULT-VALUE})")
        double duplicateRate;

        @Option(names = "--malformed-rate", paramLabel = "R", defaultValue = "0",
                description = "share of messages that break a rule, 0-1 (default: ${DEFAULT-VALUE})")
        double malformedRate;

        @Option(names = "--seed", paramLabel = "S", description = "makes the bodies repeatable (default: random)")
        Long seed;

        @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml for the SQS endpoint and queue")
        Path config;

        long seed() {
            return seed != null ? seed : System.nanoTime();
        }
    }

    /** {@code 30s}, {@code 5m}, … as {@link DurationText} reads them. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            return DurationText.parse(text).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + text + "' is not " + DurationText.EXPECTED));
        }
    }

    /** Sends with a progress line (a bar when the count is known) until done, then says where it sent. */
    private static void sendShowingProgress(EventSender sender, long count, Rate rate, Duration duration,
                                            String target) throws Exception {
        ProgressLine progress = new ProgressLine(System.out);
        long started = System.nanoTime();
        var sending = new FutureTask<Void>(() -> {
            sender.send(count, rate, duration);
            return null;
        });
        Thread.ofVirtual().start(sending);
        while (!sending.isDone()) {
            progress.show(line(sender.sent(), count, started));
            Thread.sleep(200);
        }
        try {
            sending.get();
        } catch (ExecutionException e) {
            progress.finish(line(sender.sent(), count, started) + "  stopped");
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        progress.finish(line(sender.sent(), count, started) + "  done, queue " + target);
    }

    private static String line(long sent, long count, long started) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        if (count == Long.MAX_VALUE) {
            return String.format(Locale.ROOT, "%,d sent  %,.0f/s", sent, sent / seconds);
        }
        return String.format(Locale.ROOT, "%s %,d/%,d sent  %,.0f/s", ProgressLine.bar(sent, count, 30), sent, count,
                sent / seconds);
    }

    @Command(name = "playtime", mixinStandardHelpOptions = true,
            description = "Write Parquet playtime files (users user_1..user_N, event types roadside/battle/menu, "
                    + "durations 1-10 s, all uniform), upload them and publish their S3 notifications.")
    static final class Playtime implements Callable<Integer> {
        @Option(names = "--files", defaultValue = "3", paramLabel = "N", description = "files (default: ${DEFAULT-VALUE})")
        int files;

        @Option(names = "--rows", defaultValue = "100000", paramLabel = "N",
                description = "rows per file (default: ${DEFAULT-VALUE})")
        long rows;

        @Option(names = "--users", defaultValue = "10", paramLabel = "N",
                description = "distinct users (default: ${DEFAULT-VALUE})")
        int users;

        @Option(names = "--seed", paramLabel = "S", description = "makes the files repeatable (default: random)")
        Long seed;

        @Option(names = "--bucket", defaultValue = ConfigSource.PLAYTIME_BUCKET, paramLabel = "B",
                description = "target bucket (default: ${DEFAULT-VALUE})")
        String bucket;

        @Option(names = "--prefix", defaultValue = "generated/", paramLabel = "P",
                description = "key prefix (default: ${DEFAULT-VALUE})")
        String prefix;

        @Mixin
        PlaytimeQueueOptions notifications;

        @Override
        public Integer call() throws Exception {
            if (files < 1 || rows < 1 || users < 1) {
                throw new IllegalArgumentException("--files, --rows and --users must each be at least 1");
            }
            long chosenSeed = seed != null ? seed : System.nanoTime();
            EventDurationFileGenerator generator = new EventDurationFileGenerator(users, chosenSeed);
            String batch = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC)
                    .format(Instant.now());
            Path directory = Files.createTempDirectory("sluice-generate-playtime-");
            long total = 0;
            try (PlaytimePublisher publisher = notifications.openPublisher()) {
                for (int i = 1; i <= files; i++) {
                    String key = prefix + batch + "-" + chosenSeed + "-" + i + ".parquet";
                    GeneratedFile file = generator.write(directory.resolve(i + ".parquet"), rows);
                    try {
                        publisher.upload(file.file(), bucket, key);
                    } finally {
                        Files.delete(file.file());
                    }
                    total += file.total();
                    System.out.printf(Locale.ROOT, "uploaded s3://%s/%s: %,d rows, %,d s of playtime%n", bucket, key,
                            file.rows(), file.total());
                }
                System.out.printf(Locale.ROOT, "%d files, %,d s in all (seed %d); notifications sent to %s%n", files,
                        total, chosenSeed, publisher.queue());
            } finally {
                Files.deleteIfExists(directory);
            }
            return 0;
        }
    }
}
