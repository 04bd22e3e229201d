package dev.sluice.bench;

import dev.sluice.parquet.EventDurationAggregator;
import dev.sluice.parquet.EventDurationTotals;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap half of {@link PlaytimeAggregationBenchmark}, in its own JVM (started with {@code -Xmx256m}): aggregates
 * one playtime file once with {@link EventDurationAggregator} and the default rules, cold, and exits.
 *
 * <p>Usage: {@code PlaytimeHeapWorker <file>}. Prints {@code result rows=… seconds=… users=… millis=…} and then
 * {@code heap …} ({@link HeapWatch#heapReport}) on stdout. Exits non-zero, with the error on stderr, when the
 * aggregation fails, an {@link OutOfMemoryError} included.
 */
public final class PlaytimeHeapWorker {

    private PlaytimeHeapWorker() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong sampledPeak = HeapWatch.sampleHeapUsed();
        long start = System.nanoTime();
        EventDurationTotals totals = new EventDurationAggregator(EventDurationAggregator.Rules.DEFAULTS).aggregate(Path.of(args[0]));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("result rows=" + totals.rows() + " seconds=" + totals.total() + " users="
                + totals.perUser().size() + " millis=" + millis);
        System.out.println("heap " + HeapWatch.heapReport(sampledPeak.get()));
        System.out.flush();
    }
}
