package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis (6.2, from embedded-redis) on 127.0.0.1, so pipelines and tests use Redis exactly as in production,
 * Lua scripts included. Writes go to an append-only file under a directory of the user's, fsynced every second and
 * on shutdown, so the totals Sluice keeps in Redis and the markers that make them exactly-once survive
 * {@link #stop()} and {@link #start()} on the same port (crash tests take Redis away mid-file) and restarts of the
 * stack. A Redis left running by a killed JVM is stopped on the next start.
 */
public final class EmbeddedRedis implements EmbeddedService {

    /** Where the laptop stack keeps Redis's append-only file unless told otherwise. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("./.sluice/redis");

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = LoopbackPort.HOST;

    private final Path dataDirectory;
    private final Path absoluteDataDirectory;
    private int port;
    private ExclusiveLock lock;
    private RedisServer server;
    private boolean closed;

    /** A server for {@code dataDirectory} on a port chosen at first start; call {@link #start()}. */
    public EmbeddedRedis(Path dataDirectory) {
        this(dataDirectory, 0);
    }

    /** A server for {@code dataDirectory} on {@code port}, or on a port chosen at first start when 0. */
    public EmbeddedRedis(Path dataDirectory, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Redis port must be 0 (any free port) or 1-65535, got " + port);
        }
        this.dataDirectory = dataDirectory;
        this.absoluteDataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.port = port;
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
    public synchronized EmbeddedRedis start() {
        if (closed) {
            throw new IllegalStateException("Redis server on " + dataDirectory + " is closed");
        }
        if (server != null) {
            return this;
        }
        if (lock == null) {
            lock = ExclusiveLock.acquire(lockFile(), "sluice Redis", dataDirectory);
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(absoluteDataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the Redis data directory " + dataDirectory, e);
        }
        RedisPidFile.clearStale(absoluteDataDirectory);
        if (port == 0) {
            port = LoopbackPort.free("Redis");
        } else {
            LoopbackPort.requireFree(port, "Redis");
        }
        try {
            RedisServer starting = RedisServer.newRedisServer()
                    .bind(HOST)
                    .port(port)
                    .setting("dir " + quoted(absoluteDataDirectory))
                    .setting("pidfile " + quoted(absoluteDataDirectory.resolve(RedisPidFile.FILE_NAME)))
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    // The AOF is the only persistence: no RDB snapshots forking the server.
                    .setting("save \"\"")
                    // Keeps the command line (and its embedded-redis-server_*.conf) visible to RedisPidFile.
                    .setting("set-proc-title no")
                    .build();
            starting.start();
            server = starting;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Redis on port " + port + " with data in " + dataDirectory, e);
        }
        log.info("Redis listening on {}:{} with data in {} after {} ms",
                HOST, port, dataDirectory, (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    /** Stops the server (SIGTERM: the AOF is flushed, clients are disconnected); {@link #start()} brings it back. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop Redis on port " + port, e);
        } finally {
            server = null;
        }
        log.info("Redis on port {} stopped", port);
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port, fixed from the first start on. */
    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("Redis has not been started yet, so it has no port");
        }
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}; stays valid across stop and start. */
    public String url() {
        return "redis://" + HOST + ":" + port();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("SLUICE_REDIS_URL", url());
    }

    @Override
    public String describe() {
        return String.format("%-9s %s  data: %s", "Redis", url(), dataDirectory);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (lock != null) {
                lock.close();
            }
        }
    }

    private Path lockFile() {
        return absoluteDataDirectory.resolveSibling(absoluteDataDirectory.getFileName() + ".lock");
    }

    /** A path as a double-quoted Redis configuration argument, so spaces in it survive. */
    private static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
