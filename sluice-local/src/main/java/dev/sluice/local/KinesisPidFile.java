package dev.sluice.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Stops a Kinesis emulator that a killed run left behind on a data directory. The emulator is a {@code node} child
 * process: when its JVM dies by SIGKILL it keeps running, holding its port and writing its streams into the data
 * directory every second, over those of the next emulator. {@link EmbeddedKinesis} writes this file on start and
 * removes it on close, so a file naming a live emulator means such an orphan.
 *
 * <p>Only call this while holding the data directory's {@link ExclusiveLock}: then no live owner can exist.
 */
final class KinesisPidFile extends ServerPidFile {

    static final String FILE_NAME = "kinesis.pid";
    static final KinesisPidFile INSTANCE = new KinesisPidFile();

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private KinesisPidFile() {
        super(FILE_NAME, "Kinesis", "Kinesis emulator");
    }

    /** A {@code node} running the emulator's {@code kinesis-local/main.js}; another process with the pid is left alone. */
    @Override
    protected boolean isOrphan(ProcessHandle process, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        boolean isNode = info.command().map(Path::of).map(Path::getFileName)
                .map(name -> name.toString().equals("node")).orElse(false);
        boolean runsEmulator = info.arguments().map(List::of).orElse(List.of()).stream()
                .anyMatch(argument -> argument.endsWith(Path.of("kinesis-local", "main.js").toString()));
        return isNode && runsEmulator;
    }

    @Override
    protected void stopOrphan(ProcessHandle emulator, Path dataDirectory) {
        emulator.destroy();
        if (awaitExit(emulator, STOP_WAIT)) {
            return;
        }
        emulator.destroyForcibly();
        if (!awaitExit(emulator, STOP_WAIT)) {
            throw new IllegalStateException("could not stop the Kinesis emulator (pid " + emulator.pid()
                    + ") left running on " + dataDirectory + "; stop it by hand and start again");
        }
    }
}
