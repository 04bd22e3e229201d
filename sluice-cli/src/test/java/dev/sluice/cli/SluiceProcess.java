package dev.sluice.cli;

import dev.sluice.server.ApiToken;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice ARGS} in its own JVM on the test class path, logging as the runnable jar does: through the
 * production {@code logback.xml}, not this module's {@code logback-test.xml}. Stdout and stderr go to files.
 */
final class SluiceProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private SluiceProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code sluice args} with this JVM's environment plus {@code environment}; the variables that change
     * what Sluice logs or prints ({@value LogFormat#ENVIRONMENT_VARIABLE}, {@code SLUICE_LOG_LEVEL}, the API token)
     * come from {@code environment} only. Its output goes to {@code name.out} and {@code name.err} in {@code dir}.
     */
    static SluiceProcess start(Path dir, String name, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        // The flags the launcher gives the JVM (native access, Unsafe), so the JDK prints no warnings either.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--enable-native-access") || a.startsWith("--sun-misc-unsafe-memory-access"))
                .forEach(command::add);
        command.addAll(List.of("-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
                SluiceCommand.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeAll(List.of(LogFormat.ENVIRONMENT_VARIABLE, "SLUICE_LOG_LEVEL",
                ApiToken.ENVIRONMENT_VARIABLE));
        builder.environment().putAll(environment);
        return new SluiceProcess(builder.start(), out, err);
    }

    String out() throws IOException {
        return Files.exists(out) ? Files.readString(out) : "";
    }

    String err() throws IOException {
        return Files.exists(err) ? Files.readString(err) : "";
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ctrl-C: SIGINT, then waits for the process to end. */
    boolean interruptAndWait(Duration timeout) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
