package dev.sluice.local;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a killed run leaves in a Postgres data directory. PostgreSQL refuses to start while
 * {@code postmaster.pid} names a live process, and after a SIGKILL that pid is either a Postgres still serving the
 * directory (its JVM died, the server did not) or, once the pid is reused, some unrelated process.
 *
 * <p>Only call this while holding the data directory's {@link ExclusiveLock}: then no live owner can exist.
 */
final class PostmasterPidFile extends ServerPidFile {

    private static final Logger log = LoggerFactory.getLogger(PostmasterPidFile.class);
    private static final String FILE_NAME = "postmaster.pid";
    static final PostmasterPidFile INSTANCE = new PostmasterPidFile();
    private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(15);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private PostmasterPidFile() {
        super(FILE_NAME, "Postgres", "Postgres of this directory");
    }

    @Override
    protected boolean isOrphan(ProcessHandle process, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        boolean isPostgres = info.command().map(Path::of).map(Path::getFileName)
                .map(name -> name.toString().equals("postgres")).orElse(false);
        boolean servesDirectory = info.arguments().map(List::of).orElse(List.of())
                .contains(dataDirectory.toString());
        return isPostgres && servesDirectory;
    }

    @Override
    protected void stopOrphan(ProcessHandle postmaster, Path dataDirectory) {
        List<ProcessHandle> backends = postmaster.descendants().toList();
        Path pgCtl = Path.of(postmaster.info().command().orElseThrow()).resolveSibling("pg_ctl");
        if (fastShutdown(pgCtl, dataDirectory) && awaitExit(postmaster, KILL_WAIT)) {
            return;
        }
        log.warn("Postgres (pid {}) did not shut down within {}: killing it", postmaster.pid(), FAST_SHUTDOWN_WAIT);
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(postmaster, KILL_WAIT) || !backends.stream().allMatch(b -> awaitExit(b, KILL_WAIT))) {
            throw new IllegalStateException("could not stop Postgres (pid " + postmaster.pid()
                    + ") left running on " + dataDirectory + "; stop it by hand and start again");
        }
    }

    private static boolean fastShutdown(Path pgCtl, Path dataDirectory) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // pg_ctl refuses to run as root; the embedded server was started the same way.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", dataDirectory.toString(),
                "stop", "-m", "fast", "-w", "-t", Long.toString(FAST_SHUTDOWN_WAIT.toSeconds())));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exitCode = process.waitFor();
            if (exitCode != 0) {
                log.warn("{} exited with {}: {}", command, exitCode, output);
            }
            return exitCode == 0;
        } catch (IOException e) {
            log.warn("Could not run {} to stop the orphaned Postgres", command, e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping an orphaned Postgres", e);
        }
    }
}
