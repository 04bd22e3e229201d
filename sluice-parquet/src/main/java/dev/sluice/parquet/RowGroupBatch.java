package dev.sluice.parquet;

import java.util.List;

/**
 * One row group of the file, column by column, in the order the columns were requested. The reader reuses the
 * batch and its arrays: it is valid only until the next {@link ParquetColumnReader#nextRowGroup()}.
 */
public final class RowGroupBatch {

    private final List<ColumnSpec> columns;
    private final Object[] views;
    private int index = -1;
    private int rows;

    RowGroupBatch(List<ColumnSpec> columns, Object[] views) {
        this.columns = columns;
        this.views = views;
    }

    void reset(int rowGroupIndex, int rowCount) {
        index = rowGroupIndex;
        rows = rowCount;
    }

    /** Position of this row group in the file, from 0. */
    public int index() {
        return index;
    }

    public int rows() {
        return rows;
    }

    /** The column requested at position {@code col}, which must be a {@link ColumnType#STRING} column. */
    public StringColumn strings(int col) {
        return view(col, ColumnType.STRING, StringColumn.class);
    }

    /** The column requested at position {@code col}, which must be an {@link ColumnType#INT64} column. */
    public Int64Column int64s(int col) {
        return view(col, ColumnType.INT64, Int64Column.class);
    }

    private <T> T view(int col, ColumnType expected, Class<T> type) {
        ColumnSpec spec = columns.get(col);
        if (spec.type() != expected) {
            throw new IllegalArgumentException("column " + col + " (" + spec.name() + ") is " + spec.type()
                    + ", not " + expected);
        }
        return type.cast(views[col]);
    }
}
