package dev.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid file a server that runs as a child process keeps in its data directory, and what a killed run leaves in
 * it. When the JVM dies by SIGKILL the server keeps running, holding its port and writing to the directory; once
 * its pid is reused the file names some unrelated process instead. Subclasses tell their own server from any other
 * process and know how to stop it; reading the file and deciding what to do with it is the same for every server.
 *
 * <p>Only clear a pid file while holding the data directory's {@link ExclusiveLock}: then no live owner can exist.
 */
abstract class ServerPidFile {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String fileName;
    private final String service;
    private final String ownServer;

    /**
     * @param fileName  the pid file's name in the data directory
     * @param service   the server's name in messages, e.g. "Redis"
     * @param ownServer the processes {@link #isOrphan} accepts, in the user's words, e.g. "embedded Redis"
     */
    ServerPidFile(String fileName, String service, String ownServer) {
        this.fileName = fileName;
        this.service = service;
        this.ownServer = ownServer;
    }

    /** The pid on the file's first line, if the server left one in {@code dataDirectory}. */
    final Optional<Long> readPid(Path dataDirectory) {
        Path file = dataDirectory.resolve(fileName);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Stops an orphaned server named by the pid file and removes the file, so that the next start is neither
     * refused nor competing with the orphan. A pid now used by any other process is left alone.
     *
     * @param dataDirectory absolute, normalised path, as the server was started with it
     */
    final void removeStale(Path dataDirectory) {
        Path file = dataDirectory.resolve(fileName);
        if (!Files.exists(file)) {
            return;
        }
        Optional<ProcessHandle> live = readPid(dataDirectory).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (live.isPresent() && isOrphan(live.get(), dataDirectory)) {
            log.warn("Stopping {} (pid {}) left running on {} by an earlier run", service, live.get().pid(), dataDirectory);
            stopOrphan(live.get(), dataDirectory);
        } else {
            log.warn("Removing stale {} in {}: no {} runs under pid {}", fileName, dataDirectory, ownServer,
                    live.map(ProcessHandle::pid).map(String::valueOf).orElse("(none)"));
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove stale " + file, e);
        }
    }

    /** Whether {@code process} is this kind of server, started on {@code dataDirectory} by an earlier run. */
    protected abstract boolean isOrphan(ProcessHandle process, Path dataDirectory);

    /** Stops {@code orphan}, or throws if it will not stop. */
    protected abstract void stopOrphan(ProcessHandle orphan, Path dataDirectory);

    /** Whether {@code process} ended within {@code wait}. */
    static boolean awaitExit(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not wait for pid " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pid " + process.pid(), e);
        }
    }
}
