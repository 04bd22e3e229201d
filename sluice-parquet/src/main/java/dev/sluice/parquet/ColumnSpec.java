package dev.sluice.parquet;

import java.util.Objects;

/**
 * One column a caller requires, by its exact (case-sensitive) top-level name and the type it must have. The
 * reader checks every spec against the file's schema before reading a single page, so a bad file fails fast
 * with a reason that names the column.
 */
public record ColumnSpec(String name, ColumnType type) {

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("column name is blank");
        }
    }

    public static ColumnSpec string(String name) {
        return new ColumnSpec(name, ColumnType.STRING);
    }

    public static ColumnSpec int64(String name) {
        return new ColumnSpec(name, ColumnType.INT64);
    }
}
