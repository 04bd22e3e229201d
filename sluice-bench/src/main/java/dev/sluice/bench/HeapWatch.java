package dev.sluice.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/** How much heap a worker JVM used: a sampled peak (lower bound), the heap pools' own peaks (upper bound), GCs. */
final class HeapWatch {
    private HeapWatch() {
    }

    /** Samples used heap every 20 ms on a daemon thread: a lower bound of the true peak. */
    static AtomicLong sampleHeapUsed() {
        AtomicLong peak = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (true) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return peak;
    }

    /**
     * {@code max_mb} is -Xmx as the JVM sees it; {@code sampled_peak_mb} the largest sampled used heap;
     * {@code pool_peaks_mb} the sum of each heap pool's own peak (an upper bound: the pools peak at different
     * times); {@code gc_*} the collectors' counts and total pause-or-cycle times.
     */
    static String heapReport(long sampledPeak) {
        long poolPeaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
        }
        StringBuilder gc = new StringBuilder();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc.append(" gc[").append(collector.getName().replace(' ', '_')).append("]=")
                    .append(collector.getCollectionCount()).append('/').append(collector.getCollectionTime())
                    .append("ms");
        }
        return "max_mb=" + mb(Runtime.getRuntime().maxMemory()) + " sampled_peak_mb=" + mb(sampledPeak)
                + " pool_peaks_mb=" + mb(poolPeaks) + gc;
    }

    private static long mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
