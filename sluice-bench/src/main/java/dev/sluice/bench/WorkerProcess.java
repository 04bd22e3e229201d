package dev.sluice.bench;

import dev.sluice.core.mask.Keyset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's handle on a {@link LoginsWorker} JVM: same JDK and classpath as this one, its own heap limit,
 * stderr shared with this process, and the worker's line protocol on stdin/stdout.
 */
final class WorkerProcess implements AutoCloseable {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private WorkerProcess(Process process) {
        this.process = process;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofVirtual().name("worker-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("error " + e);
            }
        });
    }

    /** A {@link LoginsWorker} masking with {@code keysetJson} (given in its environment, as users give it). */
    static WorkerProcess start(String maxHeap, URI sqsEndpoint, String jdbcUrl, PipelineTuning tuning,
                               String keysetJson) {
        List<String> args = new ArrayList<>(List.of(sqsEndpoint.toString(), jdbcUrl));
        args.addAll(tuning.toArgs());
        return start(maxHeap, LoginsWorker.class, args, Map.of(Keyset.ENV_KEYSET, keysetJson));
    }

    /** Any worker main class of this module, in its own JVM with {@code environment} added to this one's. */
    static WorkerProcess start(String maxHeap, Class<?> main, List<String> args, Map<String, String> environment) {
        List<String> command = javaCommand(maxHeap);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        try {
            return new WorkerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the worker JVM: " + main.getSimpleName(), e);
        }
    }

    /** This JVM's {@code java} and {@link #jvmOptions}: the start of a child JVM's command line. */
    static List<String> javaCommand(String maxHeap) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM"));
        List<String> command = new ArrayList<>(jvmOptions(maxHeap));
        command.addFirst(java);
        return command;
    }

    static List<String> jvmOptions(String maxHeap) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + maxHeap, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    /** Waits for the runner to start; returns the worker's wall-clock time (epoch ms) just before it started. */
    long awaitStarted() {
        return Long.parseLong(expect("started ").substring("started ".length()).strip());
    }

    /** Makes the worker forget the latencies recorded so far. */
    void measure() {
        send("measure");
        expect("measuring");
    }

    /** The worker's latency line, parsed: count, p50_ms, p99_ms, max_ms. */
    Map<String, String> report() {
        send("report");
        return fields(expect("latency "));
    }

    /** Closes the worker's stdin (graceful stop), returns its heap line parsed, and waits for it to exit. */
    Map<String, String> stop() {
        try {
            commands.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> heap = fields(expect("heap "));
        awaitExit();
        return heap;
    }

    /** Waits for the worker to exit by itself; it must exit with 0. */
    void awaitExit() {
        try {
            if (!process.waitFor(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker did not exit within " + ANSWER_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("worker exited with " + process.exitValue());
        }
    }

    private void send(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("worker is gone (exit " + exitValueOrRunning() + ")", e);
        }
    }

    private String expect(String prefix) {
        return expect(prefix, ANSWER_TIMEOUT);
    }

    /** Waits for the worker's line starting with {@code prefix} (other lines go to stderr) and returns it. */
    String expect(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line;
            try {
                line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (line == null) {
                throw new IllegalStateException("worker did not answer '" + prefix.strip() + "' within "
                        + timeout + " (exit " + exitValueOrRunning() + ")");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            System.err.println("worker: " + line);
        }
    }

    private String exitValueOrRunning() {
        return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }

    /** {@code word k=v k=v} → {k: v}. */
    static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return fields;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
