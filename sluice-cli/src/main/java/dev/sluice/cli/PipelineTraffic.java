package dev.sluice.cli;

import dev.sluice.aws.kinesis.KinesisClients;
import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Backoff;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sluice generate PIPELINE} for a pipeline defined in YAML: bodies from its declared schema
 * ({@link SchemaBodies}) sent to its source, an SQS queue or a Kinesis stream, in one thread so a seed gives the same
 * bodies in the same order every time.
 */
final class PipelineTraffic {
    private static final int KINESIS_BATCH = 500;
    private static final Backoff REFUSED = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** Where batches of bodies go. */
    @FunctionalInterface
    private interface Target {
        void send(List<String> bodies) throws InterruptedException;
    }

    private PipelineTraffic() {
    }

    /**
     * Sends {@code count} bodies for {@code pipeline}, at {@code rate} or unpaced when null, and prints where and how
     * many of each kind.
     *
     * @return the generator, whose counts say how many bodies were valid, duplicates and malformed
     */
    static SchemaBodies send(ConfigSource.Loaded loaded, String pipeline, long count, Rate rate, long seed,
                             double duplicateRate, double malformedRate, PrintStream out) throws InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, was " + count);
        }
        ConfigNode definition = definition(loaded, pipeline);
        ConfigNode source = definition.at("source");
        String type = source.at("type").text().orElse("");
        if (!type.equals("sqs") && !type.equals("kinesis")) {
            throw new IllegalArgumentException("pipeline " + pipeline + " reads a " + type + " source; sluice"
                    + " generate sends to sqs and kinesis sources only (for files, upload them with sluice upload)");
        }
        SchemaBodies bodies = new SchemaBodies(SchemaBodies.declared(pipeline, definition), seed, duplicateRate,
                malformedRate, Clock.systemUTC());
        switch (type) {
            case "sqs" -> {
                String queue = source.at("queue").text().orElseThrow();
                try (SqsClient sqs = SqsClients.create(loaded.wired().aws())) {
                    String url = SqsSource.queueUrl(sqs, queue);
                    send(bodies, count, rate, SqsBatchSender.MAX_BATCH, batch -> SqsBatchSender.send(sqs, url, batch));
                }
                out.printf(Locale.ROOT, "%s to queue %s%n", summary(bodies, count, seed), queue);
            }
            case "kinesis" -> {
                String stream = source.at("stream").text().orElseThrow();
                try (KinesisClient kinesis = KinesisClients.create(loaded.wired().aws())) {
                    send(bodies, count, rate, KINESIS_BATCH, batch -> putRecords(kinesis, stream, batch));
                }
                out.printf(Locale.ROOT, "%s to stream %s%n", summary(bodies, count, seed), stream);
            }
            default -> throw new IllegalStateException("checked above: " + type);
        }
        return bodies;
    }

    /** The definition of {@code pipeline}; an error listing the defined ones when there is none. */
    static ConfigNode definition(ConfigSource.Loaded loaded, String pipeline) {
        if (!loaded.definitions().names().contains(pipeline)) {
            throw new IllegalArgumentException("no pipeline named " + pipeline + " is defined; defined: "
                    + String.join(", ", loaded.definitions().names()));
        }
        return loaded.definitions().definition(pipeline);
    }

    private static String summary(SchemaBodies bodies, long count, long seed) {
        return String.format(Locale.ROOT, "sent %,d bodies (%,d valid, %,d duplicates, %,d malformed; seed %d)", count,
                bodies.count(SchemaBodies.Kind.VALID), bodies.count(SchemaBodies.Kind.DUPLICATE),
                bodies.count(SchemaBodies.Kind.MALFORMED), seed);
    }

    private static void send(SchemaBodies bodies, long count, Rate rate, int batchSize, Target target)
            throws InterruptedException {
        long started = System.nanoTime();
        for (long sent = 0; sent < count; ) {
            int n = (int) Math.min(batchSize, count - sent);
            if (rate != null) {
                long wait = started + (long) ((sent + n) / rate.perSecond() * 1e9) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            }
            List<String> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(bodies.next().text());
            }
            target.send(batch);
            sent += n;
        }
    }

    /**
     * PutRecords, sending refused records (throughput exceeded) again with backoff; the partition key is the body's
     * hash, so a duplicate lands on its original's shard, after it, as a producer's retry does.
     */
    private static void putRecords(KinesisClient kinesis, String stream, List<String> bodies)
            throws InterruptedException {
        List<PutRecordsRequestEntry> pending = bodies.stream().map(body -> PutRecordsRequestEntry.builder()
                .partitionKey(Integer.toHexString(body.hashCode()))
                .data(SdkBytes.fromString(body, StandardCharsets.UTF_8)).build()).toList();
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(REFUSED.delay(attempt - 1));
            }
            List<PutRecordsRequestEntry> request = pending;
            List<PutRecordsResultEntry> results = kinesis.putRecords(r -> r.streamName(stream).records(request))
                    .records();
            List<PutRecordsRequestEntry> refused = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    refused.add(request.get(i));
                }
            }
            pending = refused;
        }
    }
}
