package dev.sluice.parquet;

import org.apache.parquet.io.api.PrimitiveConverter;

/**
 * Receives one column chunk's values from {@link ColumnChunkReader} into a column of a {@link RowGroupBatch}, one
 * call per row, in row order. It keeps parquet-java's converter callbacks ({@code setDictionary},
 * {@code addValueFromDictionary}, {@code addBinary}, {@code addLong}) so that, page by page, a string arrives as a
 * dictionary id (no decoding) when its page is dictionary-encoded and as bytes when it was stored plain.
 */
abstract class ColumnFiller extends PrimitiveConverter {

    /** Empties the column and makes room for {@code rows} rows, reusing the previous row group's arrays. */
    abstract void reset(int rows);

    /** The current row has no value (definition level below the maximum). */
    abstract void addNull();
}
