package dev.sluice.parquet;

/**
 * What every column of a {@link RowGroupBatch} has: its name, its row count and how many rows are null. The
 * readers' fillers set {@code rows} and {@code nullCount} as they decode a row group.
 */
abstract sealed class ColumnValues permits Int64Column, StringColumn {
    private final String name;
    int rows;
    int nullCount;

    ColumnValues(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    /** Rows without a value; when 0 a caller can skip null checks in its loop. */
    public int nullCount() {
        return nullCount;
    }

    void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows + " in column " + name);
        }
    }
}
