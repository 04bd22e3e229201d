package dev.sluice.parquet;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * SUM(EventDuration) per "UserID|EventType" read through {@link ParquetColumnReader}, grouping on dictionary ids
 * inside each row group the way the playtime aggregator will, so tests exercise the id fast path. Rows with any
 * null are counted, not summed. Also a main for the child JVM of {@link LargeFileMemoryTest}.
 */
record PlaytimeTotals(Map<String, Long> sums, long rows, long rowsWithNull, int rowGroups) {

    static PlaytimeTotals read(Path file) throws IOException {
        Map<String, Long> sums = new TreeMap<>();
        long rows = 0;
        long withNull = 0;
        int groups = 0;
        try (var reader = ParquetColumnReader.open(file, PlaytimeParquetWriter.COLUMNS)) {
            for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
                StringColumn users = batch.strings(0);
                StringColumn types = batch.strings(1);
                Int64Column durations = batch.int64s(2);
                int typeCount = types.dictionarySize();
                long[] perPair = new long[users.dictionarySize() * typeCount];
                boolean[] seen = new boolean[perPair.length];
                for (int row = 0; row < batch.rows(); row++) {
                    int user = users.id(row);
                    int type = types.id(row);
                    if (user == StringColumn.NULL_ID || type == StringColumn.NULL_ID || durations.isNull(row)) {
                        withNull++;
                        continue;
                    }
                    int pair = user * typeCount + type;
                    perPair[pair] += durations.value(row);
                    seen[pair] = true;
                }
                for (int pair = 0; pair < perPair.length; pair++) {
                    if (seen[pair]) {
                        String key = users.dictionaryValue(pair / typeCount) + "|"
                                + types.dictionaryValue(pair % typeCount);
                        sums.merge(key, perPair[pair], Long::sum);
                    }
                }
                rows += batch.rows();
                groups++;
            }
        }
        return new PlaytimeTotals(sums, rows, withNull, groups);
    }

    long total() {
        return sums.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Prints "rows total nanos peakHeapBytes" for the file in args[0]. */
    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        PlaytimeTotals totals = read(Path.of(args[0]));
        long nanos = System.nanoTime() - start;
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
        System.out.println(totals.rows() + " " + totals.total() + " " + nanos + " " + peakHeap);
    }
}
