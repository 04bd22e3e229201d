package dev.sluice.cli;

import dev.sluice.aws.kinesis.KinesisClients;
import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.config.DurationText;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.lake.LakeEventGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * {@code sluice generate lake}: product events for the lake pipeline, to its Kinesis stream (PutRecords, 500 per
 * call, partition key event_uuid) or with {@code --queue} to an SQS queue.
 */
@Command(name = "lake", mixinStandardHelpOptions = true,
        description = "Send product events (type:subtype names with a Zipf-like skew, late events, duplicates) to "
                + "the lake's Kinesis stream, or with --queue to an SQS queue.")
final class GenerateLakeCommand implements Callable<Integer> {

    @Option(names = "--rate", paramLabel = "N/h", converter = Rate.Converter.class,
            description = "events per second, minute or hour: 1000000/h, 300/s (default: as fast as possible)")
    Rate rate;

    @Option(names = "--types", paramLabel = "N", defaultValue = "100",
            description = "distinct event names (default: ${DEFAULT-VALUE})")
    int types;

    @Option(names = "--duplicate-rate", paramLabel = "R", defaultValue = "0",
            description = "share of events that resend an earlier event, 0-1 (default: ${DEFAULT-VALUE})")
    double duplicateRate;

    @Option(names = "--late-rate", paramLabel = "R", defaultValue = "0",
            description = "share of events created 1 to 72 hours before now, 0-1 (default: ${DEFAULT-VALUE})")
    double lateRate;

    @Option(names = "--count", paramLabel = "N", description = "events to send")
    Long count;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "how long to send, e.g. 10m")
    Duration duration;

    @Option(names = "--seed", paramLabel = "S", description = "makes the events repeatable (default: random)")
    Long seed;

    @Option(names = "--stream", paramLabel = "NAME",
            description = "Kinesis stream (default: the lake definition's, product-events)")
    String stream;

    @Option(names = "--queue", paramLabel = "NAME", description = "send to this SQS queue (name or URL) instead of "
            + "Kinesis, e.g. lake-events")
    String queue;

    @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml for the endpoints")
    Path config;

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            return DurationText.parse(text).filter(d -> !d.isZero()).orElseThrow(() ->
                    new CommandLine.TypeConversionException("'" + text + "' is not " + DurationText.EXPECTED));
        }
    }

    @Override
    public Integer call() throws Exception {
        if ((count == null) == (duration == null)) {
            throw new IllegalArgumentException("give exactly one of --count and --duration");
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, was " + count);
        }
        LakeEventGenerator generator = new LakeEventGenerator(seed != null ? seed : System.nanoTime(), types,
                duplicateRate, lateRate);
        ConfigSource.Loaded all = ConfigSource.read(config, System.getenv());
        SluiceConfig loaded = all.wired();
        long total = count != null ? count : Long.MAX_VALUE;
        if (queue != null) {
            try (SqsClient sqs = SqsClients.create(loaded.aws())) {
                String url = SqsSource.queueUrl(sqs, queue);
                return run(new LakeEventSender(generator, LakeEventSender.sqs(sqs, url), SqsBatchSender.MAX_BATCH,
                        Clock.systemUTC()), total, "queue " + queue);
            }
        }
        String target = stream != null ? stream
                : all.definitions().definition(LakeConnection.LAKE).at("source", "stream").text().orElseThrow(
                        () -> new IllegalArgumentException("the lake reads no Kinesis stream in this config: give"
                                + " --stream, or --queue for its SQS queue"));
        try (KinesisClient kinesis = KinesisClients.create(loaded.aws())) {
            return run(new LakeEventSender(generator, LakeEventSender.kinesis(kinesis, target),
                    LakeEventSender.KINESIS_BATCH, Clock.systemUTC()), total, "stream " + target);
        }
    }

    private int run(LakeEventSender sender, long total, String target) throws Exception {
        ProgressLine progress = new ProgressLine(System.out);
        long started = System.nanoTime();
        var sending = new FutureTask<Void>(() -> {
            sender.send(total, duration, rate);
            return null;
        });
        Thread.ofVirtual().start(sending);
        while (!sending.isDone()) {
            progress.show(line(sender, started));
            Thread.sleep(200);
        }
        try {
            sending.get();
        } catch (ExecutionException e) {
            progress.finish(line(sender, started) + "  stopped");
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        progress.finish(line(sender, started) + "  done, " + target);
        return 0;
    }

    private static String line(LakeEventSender sender, long started) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        return String.format(Locale.ROOT, "%,d sent (%,d duplicates, %,d late)  %,.0f/s", sender.sent(),
                sender.duplicates(), sender.late(), sender.sent() / seconds);
    }
}
