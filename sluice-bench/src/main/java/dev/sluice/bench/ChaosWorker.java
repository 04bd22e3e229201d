package dev.sluice.bench;

import dev.sluice.cli.SluiceCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline of a chaos run, in the child JVM {@link ChaosRun} kills and restarts: {@code sluice run} exactly as a
 * user starts it (its SIGTERM handling included), plus a heap sampler. A SIGKILLed JVM reports nothing on exit, so
 * the heap line ({@link HeapWatch#heapReport}) is rewritten to a file every second instead.
 *
 * <p>Usage: {@code ChaosWorker <heap-file> run --config F --port 0 PIPELINE…} (everything after the heap file is
 * {@code sluice}'s command line).
 */
public final class ChaosWorker {
    private static final Duration HEAP_REPORT_EVERY = Duration.ofSeconds(1);

    private ChaosWorker() {
    }

    public static void main(String[] args) {
        Path heapFile = Path.of(args[0]);
        AtomicLong sampledPeak = HeapWatch.sampleHeapUsed();
        Thread.ofPlatform().daemon().name("heap-report").start(() -> reportHeap(heapFile, sampledPeak));
        SluiceCommand.main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void reportHeap(Path heapFile, AtomicLong sampledPeak) {
        Path next = heapFile.resolveSibling(heapFile.getFileName() + ".next");
        while (true) {
            try {
                Files.writeString(next, HeapWatch.heapReport(sampledPeak.get()));
                Files.move(next, heapFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Thread.sleep(HEAP_REPORT_EVERY);
            } catch (IOException e) {
                System.err.println("chaos worker: cannot write its heap report to " + heapFile + ", stops reporting: " + e);
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
