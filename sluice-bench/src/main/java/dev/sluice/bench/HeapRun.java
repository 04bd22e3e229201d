package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a heap worker ({@link PlaytimeHeapWorker}, {@link LakeHeapWorker}) in a child JVM with its own
 * {@code -Xmx} (same JDK and class path), as the worker reported it: its {@code result} and {@code heap} lines'
 * fields, or empty maps when it failed.
 */
record HeapRun(String maxHeap, int exit, Map<String, String> result, Map<String, String> heap) {
    private static final long TIMEOUT_MINUTES = 10;

    boolean completed() {
        return exit == 0 && !result.isEmpty() && !heap.isEmpty();
    }

    /** Runs {@code worker}'s main with {@code args} at {@code -Xmx<maxHeap>}; its stdout goes to {@code stdout}. */
    static HeapRun inChildJvm(Class<?> worker, String maxHeap, Path stdout, List<String> args)
            throws InterruptedException {
        List<String> command = WorkerProcess.javaCommand(maxHeap);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), worker.getName()));
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the heap worker: " + command, e);
        }
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("heap worker did not exit within " + TIMEOUT_MINUTES + " min");
        }
        String output;
        try {
            output = Files.readString(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the heap worker's output", e);
        }
        Map<String, String> result = Map.of();
        Map<String, String> heap = Map.of();
        for (String line : output.lines().toList()) {
            if (line.startsWith("result ")) {
                result = WorkerProcess.fields(line);
            } else if (line.startsWith("heap ")) {
                heap = WorkerProcess.fields(line);
            }
        }
        return new HeapRun(maxHeap, process.exitValue(), result, heap);
    }

    /** The collectors' counts and times, {@code G1_Young_Generation 12/80ms, …}. */
    String gcSummary() {
        return heap.entrySet().stream().filter(e -> e.getKey().startsWith("gc["))
                .map(e -> e.getKey().substring(3, e.getKey().length() - 1) + " " + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("");
    }
}
