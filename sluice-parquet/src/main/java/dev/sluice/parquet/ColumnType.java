package dev.sluice.parquet;

/**
 * The value types a caller can ask {@link ParquetColumnReader} for. Deliberately few: the pipelines read flat
 * records of strings and 64-bit integers, and every extra type would be another decoding path to keep right.
 */
public enum ColumnType {
    /** UTF-8 text: Parquet {@code BINARY} annotated {@code STRING} or {@code ENUM}, or unannotated (old writers). */
    STRING,
    /** Signed 64-bit integer: Parquet {@code INT64} without annotation or annotated {@code INT(64, signed)}. */
    INT64
}
