package dev.sluice.pipelines.warehouse;

/**
 * How one column of the warehouse table is read from the raw line's field of the same name (nested objects
 * flattened with {@code _}), as written under {@code columns:} of a {@code warehouse_load} job.
 *
 * @param type      the conversion (default {@code string})
 * @param maxLength for {@code string}: the column's {@code VARCHAR} length, longer values are load errors; 0 (the
 *                  default) for no bound
 * @param nullable  true: the field may be absent or null (stored as NULL); false (the default): it is required and
 *                  not null, as a {@code NOT NULL} column
 */
public record ColumnConversion(ColumnType type, Integer maxLength, Boolean nullable) {

    public ColumnConversion {
        type = type == null ? ColumnType.STRING : type;
        maxLength = maxLength == null ? 0 : maxLength;
        nullable = nullable != null && nullable;
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative, got " + maxLength);
        }
        if (maxLength > 0 && type != ColumnType.STRING) {
            throw new IllegalArgumentException("maxLength is for string columns, not " + type.name().toLowerCase(
                    java.util.Locale.ROOT));
        }
    }

    public static ColumnConversion of(ColumnType type, int maxLength, boolean nullable) {
        return new ColumnConversion(type, maxLength, nullable);
    }
}
