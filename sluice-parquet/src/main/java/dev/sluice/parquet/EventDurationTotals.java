package dev.sluice.parquet;

import java.util.Map;
import java.util.SortedMap;

/**
 * SUM(EventDuration) of one file of event durations per user and event type, in seconds.
 *
 * @param perUser          user id → event type → seconds (users in the map's order: natural order is applied by
 *                         the store that serves them)
 * @param rows             rows read, including skipped ones
 * @param skippedNullRows  rows left out because a value was null ({@link dev.sluice.parquet.totals.NullRows#SKIP} only)
 * @param rowGroups        row groups read
 */
public record EventDurationTotals(SortedMap<String, Map<String, Long>> perUser, long rows, long skippedNullRows,
                             int rowGroups) {

    /** All seconds of the file. */
    public long total() {
        return perUser.values().stream().flatMap(types -> types.values().stream()).mapToLong(Long::longValue).sum();
    }
}
