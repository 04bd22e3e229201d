package dev.sluice.parquet.totals;

import dev.sluice.parquet.ColumnSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one file is summed by, and the rules each row must meet. An error's message starts with the setting's key,
 * so a definition reports it at that line.
 *
 * @param groupBy   Parquet string columns, 1 to {@value #MAX_COLUMNS}, distinct (required): the first names the
 *                  group (one Redis hash per value), the others the fields of its hash
 * @param sum       Parquet int64 columns, 1 to {@value #MAX_COLUMNS}, distinct, none also in {@code groupBy}
 *                  (required)
 * @param nullRows  a null in any of those columns rejects the file ({@code reject}, default) or leaves the row out
 *                  ({@code skip})
 * @param maxValue  the largest value of a summed column in one row (default: no limit but the 64-bit range);
 *                  larger makes the file bad. Negative values always do
 * @param maxGroups the most distinct values of the first group-by column in one file (default 500,000), bounding
 *                  memory and the one Redis write that applies the file; at least 1
 * @param unit      what the summed values count, e.g. {@code seconds}, only for the reasons of bad files (default:
 *                  none)
 */
public record Aggregation(List<String> groupBy, List<String> sum, NullRows nullRows, Long maxValue,
                          Integer maxGroups, String unit) {

    public static final int MAX_COLUMNS = 16;
    public static final int DEFAULT_MAX_GROUPS = 500_000;

    public Aggregation {
        groupBy = columns("groupBy", groupBy);
        sum = columns("sum", sum);
        for (String column : sum) {
            if (groupBy.contains(column)) {
                throw new IllegalArgumentException("sum: column " + column + " is also in groupBy");
            }
        }
        if (sum.size() > 1 && sum.contains("total")) {
            throw new IllegalArgumentException("sum: a column called total cannot be summed beside others: its"
                    + " fields would be taken for the totals (total:<column>)");
        }
        nullRows = nullRows == null ? NullRows.REJECT : nullRows;
        maxValue = maxValue == null ? Long.MAX_VALUE : maxValue;
        maxGroups = maxGroups == null ? DEFAULT_MAX_GROUPS : maxGroups;
        if (maxValue < 0) {
            throw new IllegalArgumentException("maxValue must not be negative, was " + maxValue);
        }
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be at least 1, was " + maxGroups);
        }
        if (unit != null && unit.isBlank()) {
            throw new IllegalArgumentException("unit must not be blank");
        }
    }

    private static List<String> columns(String key, List<String> columns) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException(key + ": name 1 to " + MAX_COLUMNS + " columns");
        }
        if (columns.size() > MAX_COLUMNS) {
            throw new IllegalArgumentException(key + ": at most " + MAX_COLUMNS + " columns, got " + columns.size());
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException(key + ": a column name must not be blank");
            }
            if (!seen.add(column)) {
                throw new IllegalArgumentException(key + ": column " + column + " is named twice");
            }
        }
        return List.copyOf(columns);
    }

    /** The columns the reader checks and reads: the group-by strings, then the summed int64s. */
    public List<ColumnSpec> columns() {
        List<ColumnSpec> specs = new ArrayList<>(groupBy.size() + sum.size());
        groupBy.forEach(column -> specs.add(ColumnSpec.string(column)));
        sum.forEach(column -> specs.add(ColumnSpec.int64(column)));
        return specs;
    }
}
