package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * A real Redis (6.2, from embedded-redis) on 127.0.0.1, so pipelines and tests use Redis exactly as in production,
 * Lua scripts included. Writes go to an append-only file under a directory of the user's, fsynced every second and
 * on shutdown, so the totals Sluice keeps in Redis and the markers that make them exactly-once survive
 * {@link #stop()} and {@link #start()} on the same port (crash tests take Redis away mid-file) and restarts of the
 * stack. A Redis left running by a killed JVM is stopped on the next start.
 */
public final class EmbeddedRedis extends RestartableServer {

    /** Where the laptop stack keeps Redis's append-only file unless told otherwise. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("./.sluice/redis");

    private static final String HOST = LoopbackPort.HOST;

    private RedisServer server;

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
        try {
            RedisServer starting = RedisServer.newRedisServer()
                    .bind(HOST)
                    .port(port)
                    .setting("dir " + quoted(data))
                    .setting("pidfile " + quoted(data.resolve(RedisPidFile.FILE_NAME)))
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
            throw new UncheckedIOException("could not start Redis on port " + port + " with data in " + dataDirectory(), e);
        }
        return port;
    }

    @Override
    protected boolean serving() {
        return server != null;
    }

    /** SIGTERM: the AOF is flushed and clients are disconnected. */
    @Override
    protected void stopServer() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop Redis on port " + port(), e);
        } finally {
            server = null;
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
