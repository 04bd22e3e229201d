package dev.sluice.parquet;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Binary;

/**
 * One row group's values of a {@link ColumnType#STRING} column, as ids into a dictionary local to this row group:
 * {@link #id(int)} per row, {@link #dictionaryValue(int)} per id. Two rows have the same id exactly when they
 * have the same string, so an aggregator can group by id with an array lookup per row and turn ids into strings
 * once per row group instead of once per row.
 *
 * <p>Why this is cheap: when the writer dictionary-encoded the chunk (pyarrow, Spark, DuckDB and parquet-java do
 * by default for low-cardinality strings) the file's dictionary ids are used as they are, with no per-row decoding
 * or hashing; the dictionary is decoded to strings once. Pages stored plain (dictionary disabled, or a writer that
 * fell back to plain when its dictionary grew too big) are decoded and interned into the same id space with a
 * hash lookup per row, which is the slow path.
 *
 * <p>Arrays are reused for the next row group: valid only until {@link ParquetColumnReader#nextRowGroup()} is
 * called again.
 */
public final class StringColumn extends ColumnValues {

    /** The id of a null row. */
    public static final int NULL_ID = -1;

    private int[] ids = new int[0];
    private String[] dictionary = new String[0];
    private int dictionarySize;
    /** Only built when a plain-encoded value arrives: string to id, covering the dictionary entries too. */
    private Map<String, Integer> plainIndex;

    StringColumn(String name) {
        super(name);
    }

    public boolean isNull(int row) {
        return id(row) == NULL_ID;
    }

    /** The row's id in this row group's dictionary, or {@link #NULL_ID}. */
    public int id(int row) {
        checkRow(row);
        return ids[row];
    }

    /** Ids are {@code 0 .. dictionarySize() - 1}; some may be unused by any row of this row group. */
    public int dictionarySize() {
        return dictionarySize;
    }

    public String dictionaryValue(int id) {
        if (id < 0 || id >= dictionarySize) {
            throw new IndexOutOfBoundsException("id " + id + " of " + dictionarySize + " in column " + name());
        }
        return dictionary[id];
    }

    /** The row's string, or {@code null} for a null row. */
    public String value(int row) {
        int id = id(row);
        return id == NULL_ID ? null : dictionary[id];
    }

    private int intern(String value) {
        if (plainIndex == null) {
            plainIndex = new HashMap<>(Math.max(16, dictionarySize * 2));
            for (int id = 0; id < dictionarySize; id++) {
                plainIndex.putIfAbsent(dictionary[id], id);
            }
        }
        Integer known = plainIndex.get(value);
        if (known != null) {
            return known;
        }
        if (dictionarySize == dictionary.length) {
            dictionary = Arrays.copyOf(dictionary, Math.max(16, dictionarySize * 2));
        }
        dictionary[dictionarySize] = value;
        plainIndex.put(value, dictionarySize);
        return dictionarySize++;
    }

    ColumnFiller filler() {
        return new ColumnFiller() {
            @Override
            void reset(int capacity) {
                if (ids.length < capacity) {
                    ids = new int[capacity];
                }
                rows = 0;
                nullCount = 0;
                Arrays.fill(dictionary, 0, dictionarySize, null);
                dictionarySize = 0;
                plainIndex = null;
            }

            @Override
            public boolean hasDictionarySupport() {
                return true;
            }

            /** Called once per column chunk, before any value, when the chunk has a dictionary page. */
            @Override
            public void setDictionary(Dictionary chunkDictionary) {
                int size = chunkDictionary.getMaxId() + 1;
                if (dictionary.length < size) {
                    dictionary = new String[size];
                }
                for (int id = 0; id < size; id++) {
                    dictionary[id] = chunkDictionary.decodeToBinary(id).toStringUsingUTF8();
                }
                dictionarySize = size;
            }

            @Override
            public void addValueFromDictionary(int dictionaryId) {
                if (dictionaryId < 0 || dictionaryId >= dictionarySize) {
                    throw new ParquetDecodingException("column " + name() + ": dictionary id " + dictionaryId
                            + " outside the chunk's dictionary of " + dictionarySize);
                }
                ids[rows++] = dictionaryId;
            }

            @Override
            public void addBinary(Binary value) {
                ids[rows++] = intern(value.toStringUsingUTF8());
            }

            @Override
            void addNull() {
                ids[rows++] = NULL_ID;
                nullCount++;
            }
        };
    }
}
