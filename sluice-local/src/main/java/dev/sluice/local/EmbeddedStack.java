package dev.sluice.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The laptop stack: every server Sluice needs, started on localhost under one base directory, with the environment
 * that points pipelines at them. {@code sluice demo} and the integration tests of the other modules start it; its
 * data (Postgres, and S3 and Redis when asked for) survives restarts, and a lock file keeps two stacks off one base
 * directory. SQS and Postgres always run; S3 runs when a bucket is asked for, Redis when {@link Builder#redis()} is,
 * Kinesis when a stream is asked for and {@link EmbeddedKinesis#available() node is there} (else the stack runs
 * without it and says so).
 *
 * <pre>{@code
 * try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir).queue("login-queue", 5)
 *         .bucket("playtime").redis().start()) {
 *     EnvFile.write(dir.resolve("env"), stack.environment());
 *     System.out.println(stack.describe());
 * }
 * }</pre>
 */
public final class EmbeddedStack implements AutoCloseable {

    /** Where the stack keeps its data unless told otherwise. */
    public static final Path DEFAULT_BASE_DIRECTORY = Path.of("./.sluice");

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
    private static final String LOCK_FILE = "stack.lock";
    private static final String POSTGRES_DIRECTORY = "postgres";
    private static final String S3_DIRECTORY = "s3";
    private static final String REDIS_DIRECTORY = "redis";
    private static final String KINESIS_DIRECTORY = "kinesis";

    private final Path baseDirectory;
    private final ExclusiveLock lock;
    private final EmbeddedSqs sqs;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedS3 s3;
    private final EmbeddedRedis redis;
    private final EmbeddedKinesis kinesis;
    private final List<EmbeddedService> services;
    private final Duration startupTime;

    private EmbeddedStack(Path baseDirectory, ExclusiveLock lock, EmbeddedSqs sqs, EmbeddedPostgresServer postgres,
                          EmbeddedS3 s3, EmbeddedRedis redis, EmbeddedKinesis kinesis, Duration startupTime) {
        this.baseDirectory = baseDirectory;
        this.lock = lock;
        this.sqs = sqs;
        this.postgres = postgres;
        this.s3 = s3;
        this.redis = redis;
        this.kinesis = kinesis;
        this.services = Stream.<EmbeddedService>of(sqs, postgres, s3, redis, kinesis).filter(Objects::nonNull)
                .toList();
        this.startupTime = startupTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    public EmbeddedSqs sqs() {
        return sqs;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    /** @throws IllegalStateException when the stack was started without a bucket, hence without S3 */
    public EmbeddedS3 s3() {
        if (s3 == null) {
            throw new IllegalStateException("this stack runs no S3: ask for a bucket with EmbeddedStack.Builder.bucket");
        }
        return s3;
    }

    /** @throws IllegalStateException when the stack was started without {@link Builder#redis()} */
    public EmbeddedRedis redis() {
        if (redis == null) {
            throw new IllegalStateException("this stack runs no Redis: ask for it with EmbeddedStack.Builder.redis");
        }
        return redis;
    }

    /** The Kinesis emulator; empty when no stream was asked for or node is missing on this machine. */
    public Optional<EmbeddedKinesis> kinesis() {
        return Optional.ofNullable(kinesis);
    }

    public Path baseDirectory() {
        return baseDirectory;
    }

    /** How long {@link Builder#start()} took, servers and queues included. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * What a Sluice process needs to reach the stack: {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_REGION},
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code SLUICE_POSTGRES_URL}, and, when they run,
     * {@code AWS_ENDPOINT_URL_S3}, {@code SLUICE_REDIS_URL} and {@code AWS_ENDPOINT_URL_KINESIS}.
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EmbeddedService service : services) {
            service.environment().forEach((key, value) -> {
                String earlier = environment.putIfAbsent(key, value);
                if (earlier != null && !earlier.equals(value)) {
                    throw new IllegalStateException("two services disagree on " + key + ": " + earlier + " and " + value);
                }
            });
        }
        return Collections.unmodifiableMap(environment);
    }

    /** One line per service, as {@code sluice demo} prints them. */
    public String describe() {
        return services.stream().map(EmbeddedService::describe).collect(Collectors.joining(System.lineSeparator()));
    }

    /** Stops every service, then releases the base directory. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (EmbeddedService service : services.reversed()) {
            failure = closeCollecting(service, failure);
        }
        failure = closeCollecting(lock, failure);
        if (failure != null) {
            throw failure;
        }
        log.info("Sluice stack on {} stopped", baseDirectory);
    }

    private static RuntimeException closeCollecting(AutoCloseable closeable, RuntimeException earlier) {
        try {
            closeable.close();
            return earlier;
        } catch (Exception e) {
            RuntimeException failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            if (earlier == null) {
                return failure;
            }
            earlier.addSuppressed(failure);
            return earlier;
        }
    }

    /** Says which directory, ports, queues and optional services the stack gets; {@link #start()} brings it up. */
    public static final class Builder {

        private Path baseDirectory = DEFAULT_BASE_DIRECTORY;
        private int sqsPort;
        private int postgresPort;
        private final Map<String, Integer> queues = new LinkedHashMap<>();
        private final Set<String> buckets = new LinkedHashSet<>();
        private boolean redis;
        private final Map<String, Integer> streams = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder baseDirectory(Path baseDirectory) {
            this.baseDirectory = baseDirectory;
            return this;
        }

        /** An SQS queue plus {@code name-dlq}, receiving poison messages after {@code maxReceiveCount} receives. */
        public Builder queue(String name, int maxReceiveCount) {
            if (maxReceiveCount < 1) {
                throw new IllegalArgumentException("maxReceiveCount of " + name + " must be at least 1, got " + maxReceiveCount);
            }
            queues.put(name, maxReceiveCount);
            return this;
        }

        /** An S3 bucket, created unless it exists; the first one makes the stack run S3 (data under {@code s3/}). */
        public Builder bucket(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("bucket name must not be blank");
            }
            buckets.add(name);
            return this;
        }

        /** Runs Redis too, with its append-only file under {@code redis/}. */
        public Builder redis() {
            this.redis = true;
            return this;
        }

        /**
         * A Kinesis stream with {@code shards} shards, created unless it exists; the first one makes the stack run
         * the Kinesis emulator (data under {@code kinesis/}) where node is available.
         */
        public Builder stream(String name, int shards) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("stream name must not be blank");
            }
            if (shards < 1) {
                throw new IllegalArgumentException("stream " + name + " needs at least 1 shard, got " + shards);
            }
            streams.put(name, shards);
            return this;
        }

        /** A fixed SQS port instead of a free one. */
        public Builder sqsPort(int port) {
            this.sqsPort = port;
            return this;
        }

        /** A fixed Postgres port instead of a free one. */
        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        /**
         * Starts SQS, Postgres and the S3 and Redis asked for side by side, and creates the queues and buckets.
         *
         * @throws AlreadyInUseException when another stack uses the base directory
         */
        public EmbeddedStack start() {
            long started = System.nanoTime();
            ExclusiveLock lock = ExclusiveLock.acquire(baseDirectory.resolve(LOCK_FILE), "sluice stack", baseDirectory);
            Map<String, Integer> queuesToCreate = new LinkedHashMap<>(queues);
            List<String> bucketsToCreate = List.copyOf(buckets);
            Future<EmbeddedSqs> sqs;
            Future<EmbeddedPostgresServer> postgres;
            Future<EmbeddedS3> s3;
            Future<EmbeddedRedis> redisServer;
            Future<EmbeddedKinesis> kinesisServer;
            Map<String, Integer> streamsToCreate = new LinkedHashMap<>(streams);
            // Platform threads, not virtual ones: the servers and their SDK clients initialise many classes at
            // once, and a virtual thread waiting for another's class initialisation holds its carrier; with two
            // carriers on two cores the start can hang (the likely cause of two hangs starting S3 and Kinesis together).
            try (ExecutorService starting = Executors.newThreadPerTaskExecutor(
                    Thread.ofPlatform().name("stack-start-", 0).daemon(true).factory())) {
                sqs = starting.submit(() -> startSqs(queuesToCreate));
                postgres = starting.submit(() ->
                        new EmbeddedPostgresServer(baseDirectory.resolve(POSTGRES_DIRECTORY), postgresPort).start());
                s3 = bucketsToCreate.isEmpty()
                        ? CompletableFuture.completedFuture(null)
                        : starting.submit(() -> startS3(bucketsToCreate));
                redisServer = redis
                        ? starting.submit(() -> EmbeddedRedis.start(baseDirectory.resolve(REDIS_DIRECTORY)))
                        : CompletableFuture.completedFuture(null);
                kinesisServer = streamsToCreate.isEmpty() || !kinesisAvailable()
                        ? CompletableFuture.completedFuture(null)
                        : starting.submit(() -> startKinesis(streamsToCreate));
            }
            List<AutoCloseable> startedParts = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<? extends AutoCloseable> part : List.of(sqs, postgres, s3, redisServer, kinesisServer)) {
                try {
                    AutoCloseable service = part.get();
                    if (service != null) {
                        startedParts.add(service);
                    }
                } catch (ExecutionException e) {
                    failure = collect(failure, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = collect(failure, e);
                }
            }
            if (failure != null) {
                startedParts.add(lock);
                for (AutoCloseable part : startedParts.reversed()) {
                    failure = closeCollecting(part, failure);
                }
                throw failure;
            }
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            EmbeddedStack stack = new EmbeddedStack(baseDirectory, lock, sqs.resultNow(), postgres.resultNow(),
                    s3.resultNow(), redisServer.resultNow(), kinesisServer.resultNow(), startupTime);
            log.info("Sluice stack on {} up in {} ms", baseDirectory, startupTime.toMillis());
            return stack;
        }

        private EmbeddedSqs startSqs(Map<String, Integer> maxReceiveCounts) {
            EmbeddedSqs sqs = EmbeddedSqs.start(sqsPort);
            try {
                maxReceiveCounts.forEach(sqs::createQueueWithDeadLetterQueue);
                return sqs;
            } catch (RuntimeException e) {
                throw closeCollecting(sqs, e);
            }
        }

        private EmbeddedS3 startS3(List<String> bucketNames) {
            EmbeddedS3 s3 = EmbeddedS3.start(baseDirectory.resolve(S3_DIRECTORY));
            try {
                bucketNames.forEach(s3::createBucket);
                return s3;
            } catch (RuntimeException e) {
                throw closeCollecting(s3, e);
            }
        }

        private static boolean kinesisAvailable() {
            Optional<String> reason = EmbeddedKinesis.unavailableReason();
            reason.ifPresent(why -> log.warn("the stack runs without Kinesis: {}", why));
            return reason.isEmpty();
        }

        private EmbeddedKinesis startKinesis(Map<String, Integer> shardCounts) {
            EmbeddedKinesis kinesis = EmbeddedKinesis.start(0, baseDirectory.resolve(KINESIS_DIRECTORY));
            try {
                shardCounts.forEach(kinesis::createStream);
                return kinesis;
            } catch (RuntimeException e) {
                throw closeCollecting(kinesis, e);
            }
        }

        private static RuntimeException collect(RuntimeException earlier, Throwable next) {
            RuntimeException failure = next instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException("could not start the sluice stack", next);
            if (earlier == null) {
                return failure;
            }
            earlier.addSuppressed(failure);
            return earlier;
        }
    }
}
