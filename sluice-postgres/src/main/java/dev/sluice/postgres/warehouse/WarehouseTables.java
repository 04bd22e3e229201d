package dev.sluice.postgres.warehouse;

import dev.sluice.postgres.SqlIdentifier;

import java.util.List;
import java.util.Objects;

/**
 * The tables one {@link WarehouseLoader} writes: the warehouse table with the columns each line fills (in the order
 * the line's values come), the ledger of loaded files, and the table of lines that could not be loaded. Every name
 * is a validated {@link SqlIdentifier}; the schemas are the pipeline's migrations (tracking: {@code db/tracking}).
 *
 * <p>Expected shapes: the warehouse table has a unique key (rows already present are skipped by
 * {@code ON CONFLICT DO NOTHING}); the ledger has {@code file_key, etag, rows_loaded, duplicates_skipped, errors,
 * loaded_at} with primary key {@code (file_key, etag)}; the load-errors table has {@code file_key, etag,
 * line_number, reason, raw_line} with primary key {@code (file_key, etag, line_number)}; the failed-files table has
 * {@code file_key, etag, tries, reason, first_failed_at, last_failed_at} with primary key {@code (file_key, etag)}.
 */
public record WarehouseTables(SqlIdentifier table, List<SqlIdentifier> columns, SqlIdentifier ledger,
                              SqlIdentifier loadErrors, SqlIdentifier failedFiles) {

    public WarehouseTables {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(loadErrors, "loadErrors");
        Objects.requireNonNull(failedFiles, "failedFiles");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + table + ": at least one column is required");
        }
    }

    /**
     * Validates every name: {@code of("events", List.of("id", …), "tracking_loaded_files", "tracking_load_errors",
     * "tracking_failed_files")}.
     */
    public static WarehouseTables of(String table, List<String> columns, String ledger, String loadErrors,
                                     String failedFiles) {
        return new WarehouseTables(SqlIdentifier.table(table), columns.stream().map(SqlIdentifier::column).toList(),
                SqlIdentifier.table(ledger), SqlIdentifier.table(loadErrors), SqlIdentifier.table(failedFiles));
    }

    String columnList() {
        return String.join(", ", columns.stream().map(SqlIdentifier::sql).toList());
    }
}
