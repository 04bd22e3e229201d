package dev.sluice.parquet;

import java.io.IOException;
import org.apache.parquet.CorruptDeltaByteArrays;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.RequiresPreviousReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one column chunk of a flat column, page by page, straight into a {@link ColumnFiller}: definition levels
 * and values with parquet-java's own decoders (every encoding and page version it supports), but in a tight loop per
 * page instead of parquet-java's record-level {@code ColumnReader}, which pays per value for repetition levels,
 * state checks and a converter binding that a flat column does not need. Strings stay dictionary ids where the page
 * is dictionary-encoded.
 *
 * <p>Mirrors {@code ColumnReaderBase} of parquet-java 1.18: v1 pages hold repetition levels, definition levels and
 * values one after the other, each reader consuming its part of the stream; v2 pages hold RLE levels without a length
 * prefix, apart from the values; DELTA_BYTE_ARRAY pages of old parquet-mr writers are read sequentially.
 */
final class ColumnChunkReader {

    /** What a page's values become in the filler. */
    private enum Values { DICTIONARY_IDS, BINARY, INT64 }

    private final ColumnDescriptor column;
    private final String name;
    private final String createdBy;
    private final int maxDefinitionLevel;

    ColumnChunkReader(ColumnDescriptor column, String createdBy) {
        this.column = column;
        this.name = column.getPath()[0];
        this.createdBy = createdBy;
        this.maxDefinitionLevel = column.getMaxDefinitionLevel();
    }

    /**
     * Reads the chunk's {@code rows} values into {@code filler}, which must have been reset for them.
     *
     * @throws BadParquetFileException the chunk has another number of values than the row group has rows
     * @throws ParquetDecodingException a page cannot be decoded
     */
    void read(PageReader pages, ColumnFiller filler, int rows, int rowGroup) throws BadParquetFileException {
        long declared = pages.getTotalValueCount();
        if (declared != rows) {
            throw new BadParquetFileException("column " + name + ": " + declared + " values in row group " + rowGroup
                    + " of " + rows + " rows");
        }
        Dictionary dictionary = null;
        DictionaryPage dictionaryPage = pages.readDictionaryPage();
        if (dictionaryPage != null) {
            try {
                dictionary = dictionaryPage.getEncoding().initDictionary(column, dictionaryPage);
            } catch (IOException e) {
                throw new ParquetDecodingException("could not decode the dictionary of column " + name, e);
            }
            if (filler.hasDictionarySupport()) {
                filler.setDictionary(dictionary);
            }
        }
        int read = 0;
        ValuesReader previous = null;
        for (DataPage page = pages.readPage(); page != null; page = pages.readPage()) {
            int count = page.getValueCount();
            if (count > rows - read) {
                throw new BadParquetFileException("column " + name + ": more values than the " + rows
                        + " rows of row group " + rowGroup);
            }
            previous = readPage(page, count, dictionary, previous, filler);
            read += count;
        }
        if (read != rows) {
            throw new BadParquetFileException("column " + name + ": " + read + " values in the pages of row group "
                    + rowGroup + " of " + rows + " rows");
        }
    }

    /** Returns the page's values reader, which the next page may need (old DELTA_BYTE_ARRAY writers). */
    private ValuesReader readPage(DataPage page, int count, Dictionary dictionary, ValuesReader previous,
                                  ColumnFiller filler) {
        try {
            Levels levels;
            Encoding encoding;
            ByteBufferInputStream data;
            if (page instanceof DataPageV1 v1) {
                data = v1.getBytes().toInputStream();
                // Repetition levels come first in the stream; a flat column's are all 0 but must be stepped over.
                v1.getRlEncoding().getValuesReader(column, ValuesType.REPETITION_LEVEL).initFromPage(count, data);
                ValuesReader definition = v1.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
                definition.initFromPage(count, data);
                levels = maxDefinitionLevel == 0 ? null : definition::readInteger;
                encoding = v1.getValueEncoding();
            } else if (page instanceof DataPageV2 v2) {
                levels = maxDefinitionLevel == 0 ? null : rleLevels(v2);
                encoding = v2.getDataEncoding();
                data = v2.getData().toInputStream();
            } else {
                throw new ParquetDecodingException("unknown page type " + page.getClass().getName());
            }
            ValuesReader values;
            if (encoding.usesDictionary()) {
                if (dictionary == null) {
                    throw new ParquetDecodingException("column " + name + ": page encoded " + encoding
                            + " but the chunk has no dictionary");
                }
                values = encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, dictionary);
            } else {
                values = encoding.getValuesReader(column, ValuesType.VALUES);
            }
            values.initFromPage(count, data);
            if (previous != null && values instanceof RequiresPreviousReader sequential
                    && CorruptDeltaByteArrays.requiresSequentialReads(createdBy, encoding)) {
                sequential.setPreviousReader(previous);
            }
            Values kind = encoding.usesDictionary() && filler.hasDictionarySupport() ? Values.DICTIONARY_IDS
                    : column.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64 ? Values.INT64
                    : Values.BINARY;
            fill(kind, values, levels, count, filler);
            return values;
        } catch (IOException e) {
            throw new ParquetDecodingException("could not decode a page of column " + name, e);
        }
    }

    private Levels rleLevels(DataPageV2 page) throws IOException {
        var decoder = new RunLengthBitPackingHybridDecoder(BytesUtils.getWidthFromMaxInt(maxDefinitionLevel),
                page.getDefinitionLevels().toInputStream());
        return decoder::readInt;
    }

    /** The hot loop: one call per value, no per-value state besides the decoders'. */
    private void fill(Values kind, ValuesReader values, Levels levels, int count, ColumnFiller filler)
            throws IOException {
        for (int i = 0; i < count; i++) {
            if (levels != null && levels.next() != maxDefinitionLevel) {
                filler.addNull();
                continue;
            }
            switch (kind) {
                case DICTIONARY_IDS -> filler.addValueFromDictionary(values.readValueDictionaryId());
                case INT64 -> filler.addLong(values.readLong());
                case BINARY -> filler.addBinary(values.readBytes());
            }
        }
    }

    /** Definition levels, one per value. */
    @FunctionalInterface
    private interface Levels {
        int next() throws IOException;
    }
}
