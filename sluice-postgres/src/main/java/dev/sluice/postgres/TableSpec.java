package dev.sluice.postgres;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link BatchInsertSink} writes: the table, the columns it fills (in the order of
 * {@link RowMapper#toRow}), and the column holding the natural key, which must have a unique index so a redelivery
 * is absorbed by {@code ON CONFLICT DO NOTHING}.
 */
public record TableSpec(String table, List<String> columns, String conflictColumn) {

    public TableSpec {
        SqlIdentifier.table(table);
        Objects.requireNonNull(columns, "columns are required");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns of table " + table + " must not be empty");
        }
        columns = List.copyOf(columns);
        columns.forEach(SqlIdentifier::column);
        if (new HashSet<>(columns).size() != columns.size()) {
            throw new IllegalArgumentException("columns of table " + table + " must not repeat, got " + columns);
        }
        SqlIdentifier.column(conflictColumn);
        if (!columns.contains(conflictColumn)) {
            throw new IllegalArgumentException("conflictColumn '" + conflictColumn + "' must be one of the columns "
                    + columns + ", since the natural key comes with each row");
        }
    }
}
