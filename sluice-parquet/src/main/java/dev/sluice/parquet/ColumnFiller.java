package dev.sluice.parquet;

import org.apache.parquet.io.api.PrimitiveConverter;

/**
 * Receives one column chunk's values from parquet-java's {@code ColumnReader} into a column of a
 * {@link RowGroupBatch}, one call per row, in row order. Converter-based so parquet-java tells us, page by page,
 * whether a string came from the dictionary (an id, no decoding) or was stored plain.
 */
abstract class ColumnFiller extends PrimitiveConverter {

    /** Empties the column and makes room for {@code rows} rows, reusing the previous row group's arrays. */
    abstract void reset(int rows);

    /** The current row has no value (definition level below the maximum). */
    abstract void addNull();
}
