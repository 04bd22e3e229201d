package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every persistent server of the stack shares: it serves a data directory of the user's, can be
 * stopped and started again on the same port and data (crash tests take it away mid-run), holds the data
 * directory's {@link ExclusiveLock} from first start until {@link #close()} so two stacks never share the data,
 * and keeps its port fixed from the first start on so URLs handed out stay valid across restarts. Subclasses only
 * start and stop the server itself.
 *
 * <p>A {@link ReentrantLock} rather than {@code synchronized} guards the lifecycle: the stack starts its services
 * from virtual threads, and a virtual thread blocking inside {@code synchronized} while a server process starts
 * would pin its carrier thread (JDK 21). {@link #startOn}, {@link #serving} and {@link #stopServer} run with that
 * lock held, so subclasses need no locking of their own for the server they run.
 */
abstract class RestartableServer implements EmbeddedService {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final String service;
    private final String kind;
    private final Path dataDirectory;
    private final Path absoluteDataDirectory;
    private int port;
    private ExclusiveLock dataLock;
    private boolean closed;

    /**
     * @param service       the service's name in messages, e.g. "Redis"; the lock's owner is "sluice " + service
     * @param kind          what the service is, e.g. "server" or "store", as in "Redis server on ... is closed"
     * @param dataDirectory the directory the server keeps its data in, as the user gave it
     * @param port          the port to serve, or 0 for a port chosen at first start
     */
    RestartableServer(String service, String kind, Path dataDirectory, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(service + " port must be 0 (any free port) or 1-65535, got " + port);
        }
        this.service = service;
        this.kind = kind;
        this.dataDirectory = dataDirectory;
        this.absoluteDataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.port = port;
    }

    /**
     * Starts the server, or starts it again after {@link #stop()} on the same port and data. Takes the data
     * directory's lock on first start and keeps it until {@link #close()}.
     *
     * @throws AlreadyInUseException when another server holds the data directory
     */
    public RestartableServer start() {
        lifecycle.lock();
        try {
            if (closed) {
                throw new IllegalStateException(service + " " + kind + " on " + dataDirectory + " is closed");
            }
            if (serving()) {
                return this;
            }
            if (dataLock == null) {
                dataLock = ExclusiveLock.acquire(lockFile(), "sluice " + service, dataDirectory);
            }
            long started = System.nanoTime();
            port = startOn(port);
            log.info("{} listening on {} with data in {} after {} ms",
                    logName(), address(), dataDirectory, (System.nanoTime() - started) / 1_000_000);
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /** Stops the server; {@link #start()} brings it back on the same port and data. */
    public void stop() {
        lifecycle.lock();
        try {
            if (!serving()) {
                return;
            }
            stopServer();
            log.info("{} on port {} stopped", logName(), port);
        } finally {
            lifecycle.unlock();
        }
    }

    public boolean isRunning() {
        lifecycle.lock();
        try {
            return serving();
        } finally {
            lifecycle.unlock();
        }
    }

    /** The port, fixed from the first start on. */
    public int port() {
        lifecycle.lock();
        try {
            if (port == 0) {
                throw new IllegalStateException(service + " has not been started yet, so it has no port");
            }
            return port;
        } finally {
            lifecycle.unlock();
        }
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server and releases the data directory for good; closing twice is harmless. */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            try {
                stop();
            } finally {
                closed = true;
                if (dataLock != null) {
                    dataLock.close();
                }
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Starts the server with the data directory locked and returns the port it now serves.
     *
     * @param port the port to serve, or 0 for any free one; a server that runs as a child process cannot report the
     *             port it bound and takes its port from {@link #reserveLoopbackPort()} instead
     */
    protected abstract int startOn(int port);

    /** Whether the server started by {@link #startOn} is up and not yet stopped. */
    protected abstract boolean serving();

    /** Stops the server started by {@link #startOn}; afterwards {@link #serving()} is false, even when it throws. */
    protected abstract void stopServer();

    /** The name the start and stop log lines use. */
    protected String logName() {
        return service;
    }

    /** Where the server listens, as the start log line shows it. */
    protected String address() {
        return LoopbackPort.HOST + ":" + port;
    }

    /** The data directory, absolute and normalised, as the server is started with it. */
    protected final Path absoluteDataDirectory() {
        return absoluteDataDirectory;
    }

    protected final void createDataDirectory() {
        try {
            Files.createDirectories(absoluteDataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the " + service + " data directory " + dataDirectory, e);
        }
    }

    /**
     * The port for a server that cannot report the port it bound: on first start a free one, kept from then on so
     * that a failed start retries the same port; otherwise the fixed port, checked free so that a taken port fails
     * with one clear line. Call it once nothing left by an earlier run holds the port.
     */
    protected final int reserveLoopbackPort() {
        if (port == 0) {
            port = LoopbackPort.free(service);
        } else {
            LoopbackPort.requireFree(port, service);
        }
        return port;
    }

    private Path lockFile() {
        return absoluteDataDirectory.resolveSibling(absoluteDataDirectory.getFileName() + ".lock");
    }
}
