package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.NotifyingUploader;
import dev.sluice.aws.s3.S3EventNotificationBuilder;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.local.QueueUrls;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.redis.RedisSettings;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.TotalsRetention;
import dev.sluice.redis.TotalsStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * The shipped playtime definition on real servers: a fresh queue (with a dead-letter queue after
 * {@link #MAX_RECEIVES} receives) on the JVM's embedded SQS, a fresh bucket on the JVM's embedded S3, and the Redis
 * it is given. The harness's YAML only points the definition at these servers and shortens its timings; the source,
 * the sink's rules, the error sink and the routes are the shipped ones. {@link #store} reads what it wrote.
 */
final class PlaytimeHarness implements AutoCloseable {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    static final EmbeddedS3 S3 = EmbeddedS3.start(temporaryDirectory("sluice-playtime-s3-"));
    static final int MAX_RECEIVES = 2;
    static final String REGION = "us-east-1";

    /** Quick retries and a short visibility, so redelivery and heartbeat tests take seconds. */
    static final String QUICK_RUNNER = "{receivers: 1, maxInFlight: 8, batchSize: 1, linger: 0s, writers: 2,"
            + " backoff: {initial: 50ms, max: 1s}, stopTimeout: 10s}";

    final String queue = "playtime-" + UUID.randomUUID();
    final String bucket = "playtime-" + UUID.randomUUID().toString().substring(0, 8);
    final SqsClient sqs = SQS.newClient();
    final S3Client s3 = S3.newClient();
    final QueueUrls urls;
    final TotalsStore store;
    final Path work = temporaryDirectory("sluice-playtime-work-");
    final NotifyingUploader uploader;
    /** The YAML the pipeline runs with, merged over the shipped definition. */
    final String config;
    private final DefinedPipelines defined;
    private AssembledPipeline pipeline;

    PlaytimeHarness(RedisSettings redis) {
        this(redis, null);
    }

    /** With {@code workDirectory} as the sink's work directory; null: a fresh temporary one. */
    PlaytimeHarness(RedisSettings redis, Path workDirectory) {
        this(redis, workDirectory, "", new SimpleMeterRegistry());
    }

    /**
     * @param more     YAML merged over the pipeline's definition after the harness's, e.g.
     *                 {@code "pipelines: {playtime: {routes: [{id: api, pageSize: 2}]}}"}; empty for none
     * @param registry where the parts' meters go
     */
    PlaytimeHarness(RedisSettings redis, Path workDirectory, String more, MeterRegistry registry) {
        this.urls = SQS.createQueueWithDeadLetterQueue(queue, MAX_RECEIVES);
        S3.createBucket(bucket);
        this.store = store(redis);
        this.config = config(redis, queue, "{workDirectory: \"" + (workDirectory == null ? work : workDirectory)
                + "\"}");
        this.defined = more.isEmpty() ? DefinedPipelines.of(registry, Map.of(), config)
                : DefinedPipelines.of(registry, Map.of(), config, more);
        this.uploader = new NotifyingUploader(s3, sqs, urls.queueUrl(), REGION, Clock.systemUTC());
    }

    /** The playtime layout in {@code redis}, as the shipped definition writes it. */
    static TotalsStore store(RedisSettings redis) {
        return TotalsStore.open(redis, new TotalsKeys(redis.keyPrefix(), "playtime", "user"),
                List.of("EventDuration"), TotalsRetention.DEFAULTS);
    }

    /** The overrides a run of playtime on these servers needs: endpoints, the queue, quick timings. */
    static String config(RedisSettings redis, String queue, String sink) {
        return """
                aws: {region: %s, endpoints: {sqs: "%s", s3: "%s"}, accessKeyId: %s, secretAccessKey: %s}
                redis: {url: "%s", keyPrefix: "%s", connectTimeout: %dms, commandTimeout: %dms%s}
                pipelines:
                  playtime:
                    source: {queue: %s, waitTime: 1s, maxMessagesPerPoll: 10, visibilityTimeout: 4s}
                    sink: %s
                    runner: %s
                """.formatted(REGION, SQS.endpoint(), S3.endpoint(), LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, redis.url(), redis.keyPrefix(),
                redis.connectTimeout().toMillis(), redis.commandTimeout().toMillis(),
                redis.password() == null ? "" : ", password: \"" + redis.password() + "\"", queue, sink,
                QUICK_RUNNER);
    }

    /** Builds the pipeline without starting it (what a start checks: the queue, the work directory). */
    void assemble() {
        defined.assemble("playtime", UnaryOperator.identity()).close();
    }

    /** Builds the pipeline without starting it, for its read routes; closed with the harness. */
    AssembledPipeline assembled() {
        pipeline = defined.assemble("playtime", UnaryOperator.identity());
        return pipeline;
    }

    /** The readiness probes the built parts registered, by name. */
    Map<String, dev.sluice.core.plugin.ReadinessProbe> probes() {
        return defined.probes();
    }

    Runner<Event> start() {
        return start(UnaryOperator.identity());
    }

    Runner<Event> start(UnaryOperator<Source> sourceDecorator) {
        pipeline = defined.start("playtime", sourceDecorator);
        return pipeline.runner();
    }

    Runner<Event> runner() {
        return pipeline.runner();
    }

    S3ObjectRef upload(Path file, String key) {
        try {
            return uploader.upload(file, bucket, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exact notification S3 sends for {@code ref}, sent again (S3 and SQS both deliver at least once). */
    void sendAgain(S3ObjectRef ref) {
        send(new S3EventNotificationBuilder(REGION).objectCreated(ref.bucket(), ref.key(), ref.size(), ref.eTag(),
                Instant.now()));
    }

    void send(String body) {
        sqs.sendMessage(r -> r.queueUrl(urls.queueUrl()).messageBody(body));
    }

    /** Messages on the queue, visible or claimed. */
    long queueDepth() {
        return SqsSource.approximateDepth(sqs, urls.queueUrl());
    }

    long deadLetters() {
        return Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(urls.deadLetterQueueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Waits until nothing is left on the queue or in the runner, and {@code deadLetters} went to the DLQ. */
    void awaitSettled(long deadLetters) {
        await().atMost(Duration.ofSeconds(90)).until(() ->
                queueDepth() == 0 && runner().inFlight() == 0 && deadLetters() == deadLetters);
    }

    /** What the files add up to per user, with the per-user total, as the store keeps it. */
    static SortedMap<String, Map<String, Long>> expectedUsers(List<GeneratedFile> files) {
        SortedMap<String, Map<String, Long>> users = new TreeMap<>();
        for (GeneratedFile file : files) {
            file.perUser().forEach((user, byType) -> {
                Map<String, Long> amounts = users.computeIfAbsent(user, u -> new TreeMap<>());
                byType.forEach((type, seconds) -> {
                    amounts.merge(type, seconds, Long::sum);
                    amounts.merge("total", seconds, Long::sum);
                });
            });
        }
        return users;
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        defined.close();
        store.close();
        s3.close();
        sqs.close();
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
