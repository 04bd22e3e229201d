package dev.sluice.parquet.totals;

import java.util.Map;
import java.util.SortedMap;

/**
 * The sums of one file.
 *
 * @param perGroup  value of the first group-by column → field (the values of the other group-by columns joined by
 *                  {@code :}, empty when there are none) → one sum per summed column, in the order of
 *                  {@link Aggregation#sum()}; only the combinations that had rows
 * @param rows      rows read, including skipped ones
 * @param skippedNullRows rows left out because a value was null ({@link NullRows#SKIP} only)
 * @param rowGroups row groups read
 */
public record FileTotals(SortedMap<String, Map<String, long[]>> perGroup, long rows, long skippedNullRows,
                         int rowGroups) {

    /** The sum of summed column {@code index} over the whole file. */
    public long total(int index) {
        long total = 0;
        for (Map<String, long[]> fields : perGroup.values()) {
            for (long[] sums : fields.values()) {
                total = Math.addExact(total, sums[index]);
            }
        }
        return total;
    }
}
