package dev.sluice.local;

import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis (6.2, from embedded-redis) on 127.0.0.1, so pipelines and tests use Redis exactly as in production,
 * Lua scripts included. Writes go to an append-only file under a directory of the user's, fsynced every second and
 * on shutdown, so the totals Sluice keeps in Redis and the markers that make them exactly-once survive
 * {@link #stop()} and {@link #start()} on the same port (crash tests take Redis away mid-file) and restarts of the
 * stack. A Redis left running by a killed JVM is stopped on the next start.
 *
 * <p>embedded-redis supplies only the binary; this class runs the process itself, because the library's own
 * process handling registers a JVM shutdown hook that stops Redis at the first SIGINT or SIGTERM, under the
 * pipelines still draining into it. Here Redis outlives that signal until {@link #close()}, or a grace period.
 */
public final class EmbeddedRedis extends RestartableServer {

    /** Where the laptop stack keeps Redis's append-only file unless told otherwise. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("./.sluice/redis");

    private static final String HOST = LoopbackPort.HOST;

    private static final String LOG_FILE = "redis.log";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_POLL = Duration.ofMillis(20);
    /** Longer than a pipeline's default stop timeout plus closing time, so an orderly shutdown always wins. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(40);

    private final Thread exitGuard = new Thread(this::stopWhenTheJvmExits, "sluice-redis-exit-guard");
    private volatile Process process;

    /** A server for {@code dataDirectory} on a port chosen at first start; call {@link #start()}. */
    public EmbeddedRedis(Path dataDirectory) {
        this(dataDirectory, 0);
    }

    /** A server for {@code dataDirectory} on {@code port}, or on a port chosen at first start when 0. */
    public EmbeddedRedis(Path dataDirectory, int port) {
        super("Redis", "server", dataDirectory, port);
    }

    /** Starts a server for {@code dataDirectory} on a free port. */
    public static EmbeddedRedis start(Path dataDirectory) {
        return new EmbeddedRedis(dataDirectory).start();
    }

    /**
     * Starts the server, or starts it again after {@link #stop()} on the same port and data. Takes the data
     * directory's lock on first start and keeps it until {@link #close()}; stops a Redis that a killed run left on
     * the directory.
     *
     * @throws AlreadyInUseException when another server holds the data directory
     */
    @Override
    public EmbeddedRedis start() {
        super.start();
        return this;
    }

    @Override
    protected int startOn(int requestedPort) {
        createDataDirectory();
        Path data = absoluteDataDirectory();
        RedisPidFile.INSTANCE.removeStale(data);
        int port = reserveLoopbackPort();
        Path log = data.resolve(LOG_FILE);
        try {
            Path config = Files.writeString(data.resolve(RedisPidFile.EMBEDDED_CONFIG_PREFIX + "sluice.conf"), String.join("\n",
                    "bind " + HOST,
                    "port " + port,
                    "dir " + quoted(data),
                    "pidfile " + quoted(data.resolve(RedisPidFile.FILE_NAME)),
                    "appendonly yes",
                    "appendfsync everysec",
                    // The AOF is the only persistence: no RDB snapshots forking the server.
                    "save \"\"",
                    // Keeps the command line (and the config file's name) visible to RedisPidFile.
                    "set-proc-title no",
                    ""));
            Files.deleteIfExists(log);
            File binary = ExecutableProvider.newJarResourceProvider().get();
            Process started = new ProcessBuilder(binary.getAbsolutePath(), config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            awaitReady(started, log, port);
            process = started;
            Runtime.getRuntime().addShutdownHook(exitGuard);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Redis on port " + port + " with data in " + dataDirectory(), e);
        }
        return port;
    }

    private static void awaitReady(Process redis, Path log, int port) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(log).contains("Ready to accept connections")) {
            if (!redis.isAlive() || System.nanoTime() > deadline) {
                redis.destroyForcibly();
                throw new IOException("Redis did not start on port " + port + "; its output (" + log + "):\n"
                        + Files.readString(log).strip());
            }
            try {
                Thread.sleep(READY_POLL);
            } catch (InterruptedException e) {
                redis.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while Redis started", e);
            }
        }
    }

    @Override
    protected boolean serving() {
        return process != null;
    }

    /** SIGTERM: the AOF is flushed and clients are disconnected. */
    @Override
    protected void stopServer() {
        Process stopping = process;
        process = null;
        try {
            Runtime.getRuntime().removeShutdownHook(exitGuard);
        } catch (IllegalStateException jvmExiting) {
            // Called from the exit guard itself, or by another hook: the guard needs no removal.
        }
        stopping.destroy();
        try {
            if (!stopping.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Redis on port " + port(), e);
        }
    }

    /**
     * When the JVM exits with Redis still up, waits for the owner's orderly {@link #close()} (pipelines drain into
     * Redis first: a Ctrl-C must not take Redis away under a file being counted), and stops it after
     * {@link #EXIT_GRACE} at the latest, so no Redis outlives its JVM.
     */
    private void stopWhenTheJvmExits() {
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        while (process != null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(READY_POLL);
            } catch (InterruptedException e) {
                break;
            }
        }
        Process left = process;
        if (left != null) {
            left.destroy();
        }
    }

    /** {@code redis://127.0.0.1:PORT}; stays valid across stop and start. */
    public String url() {
        return "redis://" + HOST + ":" + port();
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("SLUICE_REDIS_URL", url());
    }

    @Override
    public String describe() {
        return String.format("%-9s %s  data: %s", "Redis", url(), dataDirectory());
    }

    /** A path as a double-quoted Redis configuration argument, so spaces in it survive. */
    private static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
