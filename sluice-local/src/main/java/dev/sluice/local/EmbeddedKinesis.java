package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A Kinesis API on 127.0.0.1: the {@code kinesis-local} emulator (kinesis-mock compiled to JavaScript) run as a
 * {@code node} child process, so the Kinesis source and its tests speak to Kinesis through the AWS SDK exactly as
 * in production: shards, sequence numbers, iterators, SplitShard and MergeShards. Streams live in memory, or in
 * a data directory when one is given ({@link #start(int, Path)}), and are gone with the process otherwise.
 *
 * <p>Where {@code node} is missing, {@link #available()} says so and the stack runs without Kinesis.
 *
 * <pre>{@code
 * try (EmbeddedKinesis kinesis = EmbeddedKinesis.start(); KinesisClient client = kinesis.newClient()) {
 *     kinesis.createStream("product-events", 2);
 *     client.putRecord(b -> b.streamName("product-events").partitionKey("k").data(SdkBytes.fromUtf8String("{}")));
 * }
 * }</pre>
 */
public final class EmbeddedKinesis implements EmbeddedService {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKinesis.class);
    private static final String HOST = LoopbackPort.HOST;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_POLL = Duration.ofMillis(100);
    /** Longer than a pipeline's default stop timeout plus closing time, so an orderly shutdown always wins. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(40);
    /** How often the emulator writes its streams to the data directory, when it has one. */
    private static final String PERSIST_INTERVAL = "1s";

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    /** The data directory's pid file and lock (handed over once started), when the emulator keeps its streams there. */
    private final Path pidFile;
    private volatile ExclusiveLock dataLock;
    private final KinesisClient admin;
    private final Map<String, Integer> streams = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread exitGuard = new Thread(this::stopWhenTheJvmExits, "sluice-kinesis-exit-guard");

    private EmbeddedKinesis(Process process, int port, Path logFile, Path pidFile) {
        this.process = process;
        this.endpoint = URI.create("http://" + HOST + ":" + port);
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.admin = newClient();
    }

    /** Whether the emulator can run on this machine: {@code node} on the PATH, and installed or npm to install it. */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Why the emulator cannot run here, as one line for the user; empty when it can. */
    public static Optional<String> unavailableReason() {
        return KinesisLocalInstall.unavailableReason(KinesisLocalInstall.directory());
    }

    /** Starts on a free port with streams in memory. */
    public static EmbeddedKinesis start() {
        return start(0, null);
    }

    /**
     * Starts on {@code port} (0: any free one), installing the emulator first when it is not installed yet.
     *
     * @param dataDirectory where the emulator keeps its streams across restarts, or {@code null} to keep them in
     *                      memory only; its log goes there too (else to a temporary file). The directory is locked
     *                      until {@link #close()}, and an emulator a killed run left on it is stopped first
     * @throws IllegalStateException when node is missing, the port is taken or the emulator does not answer
     * @throws AlreadyInUseException when another emulator holds the data directory
     */
    public static EmbeddedKinesis start(int port, Path dataDirectory) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Kinesis port must be 0 (any free port) or 1-65535, got " + port);
        }
        long started = System.nanoTime();
        Path main = KinesisLocalInstall.ensure(KinesisLocalInstall.directory());
        ExclusiveLock dataLock = null;
        Path pidFile = null;
        if (dataDirectory != null) {
            Path data = dataDirectory.toAbsolutePath().normalize();
            dataLock = ExclusiveLock.acquire(data.resolveSibling(data.getFileName() + ".lock"), "sluice Kinesis",
                    dataDirectory);
            pidFile = data.resolve(KinesisPidFile.FILE_NAME);
        }
        try {
            EmbeddedKinesis kinesis = start(main, port, dataDirectory, pidFile, started);
            kinesis.dataLock = dataLock;
            return kinesis;
        } catch (RuntimeException e) {
            if (dataLock != null) {
                dataLock.close();
            }
            throw e;
        }
    }

    private static EmbeddedKinesis start(Path main, int port, Path dataDirectory, Path pidFile, long started) {
        if (dataDirectory != null) {
            KinesisPidFile.INSTANCE.removeStale(dataDirectory.toAbsolutePath().normalize());
        }
        int plainPort = port == 0 ? LoopbackPort.free("Kinesis") : port;
        LoopbackPort.requireFree(plainPort, "Kinesis");
        // The emulator always serves TLS too; a port of its own keeps two emulators from colliding on 4567.
        int tlsPort = LoopbackPort.free("Kinesis (TLS)");
        try {
            Path logFile;
            // The full path in the arguments is how KinesisPidFile recognises an orphaned emulator.
            ProcessBuilder builder = new ProcessBuilder("node", main.toString())
                    .directory(main.getParent().toFile());
            Map<String, String> env = builder.environment();
            env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort));
            env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
            env.put("AWS_REGION", LocalAwsAccount.REGION.id());
            env.put("LOG_LEVEL", "WARN");
            if (dataDirectory == null) {
                logFile = Files.createTempFile("sluice-kinesis-", ".log");
                env.put("SHOULD_PERSIST_DATA", "false");
            } else {
                Path data = dataDirectory.toAbsolutePath().normalize();
                Files.createDirectories(data);
                logFile = data.resolve("kinesis.log");
                env.put("SHOULD_PERSIST_DATA", "true");
                env.put("LOAD_DATA_IF_EXISTS", "true");
                env.put("PERSIST_PATH", data.toString());
                env.put("PERSIST_INTERVAL", PERSIST_INTERVAL);
            }
            Process process = builder.redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            EmbeddedKinesis kinesis = new EmbeddedKinesis(process, plainPort, logFile, pidFile);
            try {
                if (pidFile != null) {
                    Files.writeString(pidFile, process.pid() + "\n");
                }
                kinesis.awaitReady();
            } catch (IOException | RuntimeException e) {
                kinesis.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(kinesis.exitGuard);
            log.info("Kinesis (kinesis-local) listening on {} after {} ms", kinesis.endpoint,
                    (System.nanoTime() - started) / 1_000_000);
            return kinesis;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kinesis emulator on port " + plainPort, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (KinesisClient probe = client(endpoint, Duration.ofSeconds(2))) {
            while (true) {
                try {
                    probe.listStreams();
                    return;
                } catch (SdkException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Kinesis emulator did not answer on " + endpoint
                                + (process.isAlive() ? " within " + START_TIMEOUT.toSeconds() + " s" : " (it exited)")
                                + "; its output (" + logFile + "):\n" + output(), notYet);
                    }
                    sleep(READY_POLL);
                }
            }
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A new SDK client for this emulator; the caller closes it. */
    public KinesisClient newClient() {
        return client(endpoint, Duration.ofSeconds(30));
    }

    /**
     * Creates {@code name} with {@code shards} shards and waits until it is active; an existing stream is kept as it
     * is (the emulator may have loaded it from its data directory).
     */
    public synchronized void createStream(String name, int shards) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("stream name must not be blank");
        }
        if (shards < 1) {
            throw new IllegalArgumentException("a stream needs at least 1 shard, got " + shards + " for " + name);
        }
        try {
            admin.createStream(b -> b.streamName(name).shardCount(shards));
        } catch (ResourceInUseException exists) {
            log.debug("Kinesis stream {} exists already", name);
        }
        awaitActive(name);
        streams.put(name, shards);
    }

    /** Waits until {@code stream} is ACTIVE again, e.g. after SplitShard or MergeShards. */
    public void awaitActive(String stream) {
        long deadline = System.nanoTime() + STREAM_TIMEOUT.toNanos();
        while (admin.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kinesis stream " + stream + " did not become ACTIVE within "
                        + STREAM_TIMEOUT.toSeconds() + " s");
            }
            sleep(READY_POLL);
        }
    }

    /** Names of the streams created through {@link #createStream}, in creation order. */
    public synchronized List<String> streamNames() {
        return List.copyOf(streams.keySet());
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL_KINESIS", endpoint.toString());
        environment.putAll(LocalAwsAccount.environment());
        return environment;
    }

    @Override
    public synchronized String describe() {
        String streamList = streams.isEmpty() ? "no streams" : "streams: " + String.join(", ",
                streams.entrySet().stream().map(s -> s.getKey() + " (" + s.getValue() + " shards)").toList());
        return String.format("%-9s %s  %s", "Kinesis", endpoint, streamList);
    }

    /** The emulator's process id, for tests that check it is gone. */
    public long pid() {
        return process.pid();
    }

    /** Stops the emulator and every process it started; closing twice is harmless. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        admin.close();
        try {
            Runtime.getRuntime().removeShutdownHook(exitGuard);
        } catch (IllegalStateException | IllegalArgumentException notRegisteredOrExiting) {
            // Not registered yet (a failed start), or the JVM is exiting and the guard runs anyway.
        }
        stopProcessTree();
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                log.warn("could not remove {}; the next start checks the pid it names: {}", pidFile, e.toString());
            }
        }
        if (dataLock != null) {
            dataLock.close();
        }
        log.info("Kinesis (kinesis-local) on {} stopped", endpoint);
    }

    private void stopProcessTree() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * When the JVM exits with the emulator still up, waits for the owner's orderly {@link #close()} (pipelines stop
     * reading first), and stops it after {@link #EXIT_GRACE} at the latest, so no emulator outlives its JVM.
     */
    private void stopWhenTheJvmExits() {
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        while (!closed.get() && process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(READY_POLL);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (!closed.get()) {
            stopProcessTree();
        }
    }

    private static KinesisClient client(URI endpoint, Duration apiCallTimeout) {
        return KinesisClient.builder()
                .endpointOverride(endpoint)
                .region(LocalAwsAccount.REGION)
                .credentialsProvider(LocalAwsAccount.credentials())
                .overrideConfiguration(o -> o.apiCallTimeout(apiCallTimeout))
                .build();
    }

    private String output() {
        try {
            return Files.readString(logFile).strip();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kinesis emulator", e);
        }
    }
}
