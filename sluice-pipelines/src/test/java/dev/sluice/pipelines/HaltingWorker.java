package dev.sluice.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM on the test class path that halts itself at a test hook (status {@link #HALT_STATUS}, as SIGKILL
 * would leave it): its output goes to {@code worker.log} in a directory, which failed assertions show.
 *
 * <pre>{@code
 * HaltingWorker.start(dir, PlaytimeWorker.class, sqsEndpoint, queue).awaitHalt("its first delete");
 * }</pre>
 */
public final class HaltingWorker {
    /** What {@code Runtime.halt} is given: the status a SIGKILLed JVM reports. */
    public static final int HALT_STATUS = 137;

    private final Process process;
    private final Path log;

    private HaltingWorker(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static HaltingWorker start(Path dir, Class<?> main, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("worker.log");
        return new HaltingWorker(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .start(), log);
    }

    /** Waits for the worker to halt at {@code hook}; a worker that never gets there is killed, not left running. */
    public void awaitHalt(String hook) throws Exception {
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the worker reached %s; log:%n%s", hook,
                    Files.readString(log)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("log:%n%s", Files.readString(log)).isEqualTo(HALT_STATUS);
    }
}
