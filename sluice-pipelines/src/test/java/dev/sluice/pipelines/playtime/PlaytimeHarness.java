package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.NotifyingUploader;
import dev.sluice.aws.s3.S3EventNotificationBuilder;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.Source;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.QueueUrls;
import dev.sluice.parquet.PlaytimeFileGenerator.GeneratedFile;
import dev.sluice.redis.PlaytimeStore;
import dev.sluice.redis.RedisSettings;
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
 * One playtime pipeline on real servers: a fresh queue (with a dead-letter queue after {@link #MAX_RECEIVES}
 * receives) on the JVM's embedded SQS, a fresh bucket on the JVM's embedded S3, and the Redis it is given.
 */
final class PlaytimeHarness implements AutoCloseable {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    static final EmbeddedS3 S3 = EmbeddedS3.start(temporaryDirectory("sluice-playtime-s3-"));
    static final int MAX_RECEIVES = 2;
    static final String REGION = "us-east-1";

    /** Quick retries and a short visibility, so redelivery and heartbeat tests take seconds. */
    static final RunnerSettings QUICK = new RunnerSettings(1, 8, 1, Duration.ZERO, 2,
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(1_000)), Duration.ofSeconds(10));

    final String queue = "playtime-" + UUID.randomUUID();
    final String bucket = "playtime-" + UUID.randomUUID().toString().substring(0, 8);
    final SqsClient sqs = SQS.newClient();
    final S3Client s3 = S3.newClient();
    final QueueUrls urls;
    final PlaytimeStore store;
    final PlaytimeSettings settings;
    final Path work = temporaryDirectory("sluice-playtime-work-");
    final NotifyingUploader uploader;
    private Runner<?> runner;

    PlaytimeHarness(RedisSettings redis) {
        this(redis, s -> s);
    }

    PlaytimeHarness(RedisSettings redis, UnaryOperator<PlaytimeSettings> customise) {
        this.urls = SQS.createQueueWithDeadLetterQueue(queue, MAX_RECEIVES);
        S3.createBucket(bucket);
        this.store = PlaytimeStore.open(redis);
        this.settings = customise.apply(new PlaytimeSettings(
                new SqsSourceSettings(queue, Duration.ofSeconds(1), 10, Duration.ofSeconds(4)),
                null, null, null, work, null, QUICK, null, null, null));
        this.uploader = new NotifyingUploader(s3, sqs, urls.queueUrl(), REGION, Clock.systemUTC());
    }

    SqsSource source() {
        return SqsSource.connect(sqs, settings.source());
    }

    Runner<?> start() {
        return start(source());
    }

    Runner<?> start(Source source) {
        runner = PlaytimePipeline.create(settings, source, s3, store, new SimpleMeterRegistry(), Clock.systemUTC());
        runner.start();
        return runner;
    }

    Runner<?> runner() {
        return runner;
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
                queueDepth() == 0 && runner.inFlight() == 0 && deadLetters() == deadLetters);
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
        if (runner != null) {
            runner.stop();
        }
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
