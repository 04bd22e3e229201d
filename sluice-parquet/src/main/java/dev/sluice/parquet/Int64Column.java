package dev.sluice.parquet;

/**
 * One row group's values of an {@link ColumnType#INT64} column. Backed by a primitive array reused for the next
 * row group, so it is valid only until {@link ParquetColumnReader#nextRowGroup()} is called again.
 */
public final class Int64Column extends ColumnValues {

    private long[] values = new long[0];
    private boolean[] nulls = new boolean[0];

    Int64Column(String name) {
        super(name);
    }

    public boolean isNull(int row) {
        checkRow(row);
        return nulls[row];
    }

    /** The value of {@code row}; 0 for a null row (check {@link #isNull} when {@link #nullCount()} is not 0). */
    public long value(int row) {
        checkRow(row);
        return values[row];
    }

    ColumnFiller filler() {
        return new ColumnFiller() {
            @Override
            void reset(int capacity) {
                if (values.length < capacity) {
                    values = new long[capacity];
                    nulls = new boolean[capacity];
                }
                rows = 0;
                nullCount = 0;
            }

            @Override
            void addNull() {
                values[rows] = 0;
                nulls[rows++] = true;
                nullCount++;
            }

            @Override
            public void addLong(long value) {
                values[rows] = value;
                nulls[rows++] = false;
            }
        };
    }
}
