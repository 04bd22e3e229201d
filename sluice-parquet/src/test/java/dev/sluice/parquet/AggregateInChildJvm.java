package dev.sluice.parquet;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The child JVM of {@link LargeFileMemoryTest}: aggregates args[0] and prints "rows total nanos peakHeapBytes". */
final class AggregateInChildJvm {
    private AggregateInChildJvm() {
    }

    /** Totals as "user|type" → seconds, the shape the tests compute their expectations in. */
    static Map<String, Long> flat(EventDurationTotals totals) {
        Map<String, Long> flat = new TreeMap<>();
        totals.perUser().forEach((user, types) -> types.forEach((type, seconds) -> flat.put(user + "|" + type,
                seconds)));
        return flat;
    }

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        EventDurationTotals totals = new EventDurationAggregator(EventDurationAggregator.Rules.DEFAULTS).aggregate(Path.of(args[0]));
        long nanos = System.nanoTime() - start;
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
        System.out.println(totals.rows() + " " + totals.total() + " " + nanos + " " + peakHeap);
    }
}
