package dev.sluice.pipelines.warehouse;

/**
 * How a raw line's field becomes a column's value in the warehouse load ({@code warehouse_load}'s {@code columns}).
 */
public enum ColumnType {
    /** A JSON string, at most {@code maxLength} characters when one is given. */
    STRING,
    /** A JSON boolean. */
    BOOLEAN,
    /** A digit string ({@code "18946"}) or a JSON integer, within SQL {@code INTEGER}. */
    INTEGER,
    /** Naive UTC or ISO 8601 with an offset, stored as the UTC time of a {@code TIMESTAMP} column. */
    TIMESTAMP,
    /** Naive UTC or ISO 8601 with an offset, stored as the instant of a {@code TIMESTAMPTZ} column. */
    TIMESTAMPTZ
}
