package dev.sluice.parquet;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Streams a local Parquet file row group by row group, reading only the requested columns, each column chunk in
 * one pass into primitive arrays ({@link RowGroupBatch}). Nothing of a previous row group is kept.
 *
 * <p><b>Memory.</b> Bounded by one row group, whatever the file size: parquet-java's
 * {@link ParquetFileReader#readNextRowGroup()} loads the requested columns' chunks of that row group (compressed)
 * into heap buffers and decompresses one page at a time; the batch holds per row 4 bytes per string column
 * (dictionary id), 9 bytes per int64 column, plus the row group's distinct strings. A 10,000-row group of the
 * event durations' schema (two strings, one int64) is well under 1 MB; writers' usual 128 MB row groups need about that much heap plus the arrays.
 *
 * <p>Files come from any writer (parquet-java, pyarrow, Spark, DuckDB): plain and dictionary encodings, v1 and v2
 * pages and the codecs parquet-java ships (uncompressed, snappy, gzip, zstd, lz4_raw). Flat columns only, nullable
 * or required; nulls are reported, never rejected here, because whether a null is an error is the caller's rule.
 * Pages are decoded by {@link ColumnChunkReader}, column by column, with parquet-java's decoders.
 *
 * <p>Not thread-safe; one reader per file and thread.
 */
public final class ParquetColumnReader implements Closeable {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final ParquetFileReader reader;
    private final List<ColumnDescriptor> descriptors;
    private final ColumnFiller[] fillers;
    private final ColumnChunkReader[] chunkReaders;
    private final RowGroupBatch batch;
    private final long rowCount;
    private final int rowGroupCount;
    private int nextIndex;

    private ParquetColumnReader(Path file, ParquetFileReader reader, MessageType projection, List<ColumnSpec> specs) {
        this.file = file;
        this.reader = reader;
        this.descriptors = projection.getColumns();
        this.fillers = new ColumnFiller[specs.size()];
        this.chunkReaders = new ColumnChunkReader[specs.size()];
        String createdBy = reader.getFileMetaData().getCreatedBy();
        Object[] views = new Object[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            ColumnSpec spec = specs.get(i);
            switch (spec.type()) {
                case STRING -> {
                    var column = new StringColumn(spec.name());
                    views[i] = column;
                    fillers[i] = column.filler();
                }
                case INT64 -> {
                    var column = new Int64Column(spec.name());
                    views[i] = column;
                    fillers[i] = column.filler();
                }
            }
            chunkReaders[i] = new ColumnChunkReader(descriptors.get(i), createdBy);
        }
        this.batch = new RowGroupBatch(List.copyOf(specs), views);
        this.rowCount = reader.getRecordCount();
        this.rowGroupCount = reader.getRowGroups().size();
    }

    /**
     * Opens {@code file} and checks that it is Parquet and has every requested column with the requested type.
     *
     * @throws BadParquetFileException the file is empty, not Parquet, truncated, has an unreadable footer, or a
     *     column is missing or of another type; the message names the column and the rule
     * @throws IOException the file cannot be read at all (missing, no permission)
     */
    public static ParquetColumnReader open(Path file, List<ColumnSpec> columns) throws IOException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no columns requested");
        }
        checkMagic(file);
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withAllocator(new HeapByteBufferAllocator())
                .build();
        ParquetFileReader reader;
        try {
            reader = ParquetFileReader.open(new LocalInputFile(file), options);
        } catch (IOException | RuntimeException e) {
            throw new BadParquetFileException("unreadable Parquet footer: " + e.getMessage(), e);
        }
        try {
            MessageType projection = SchemaCheck.project(reader.getFileMetaData().getSchema(), columns);
            reader.setRequestedSchema(projection);
            return new ParquetColumnReader(file, reader, projection, columns);
        } catch (IOException | RuntimeException e) {
            try {
                reader.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Parquet starts and ends with "PAR1"; checking both gives a clear reason before parquet-java's own. */
    private static void checkMagic(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new BadParquetFileException("empty file (0 bytes)");
            }
            if (!hasMagicAt(channel, 0)) {
                throw new BadParquetFileException("not a Parquet file (magic bytes missing)");
            }
            // Smallest footer: magic + footer length + magic = 12 bytes after the leading magic.
            if (size < 12 || !hasMagicAt(channel, size - MAGIC.length)) {
                throw new BadParquetFileException("truncated Parquet file (" + size
                        + " bytes, no magic bytes at the end)");
            }
        }
    }

    private static boolean hasMagicAt(FileChannel channel, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return false;
            }
        }
        return Arrays.equals(buffer.array(), MAGIC);
    }

    /** Rows in the file according to its footer. */
    public long rowCount() {
        return rowCount;
    }

    public int rowGroupCount() {
        return rowGroupCount;
    }

    /**
     * Reads the next row group, every requested column, and returns it; {@code null} after the last one. The
     * returned batch (the same object each time) is overwritten by the next call.
     *
     * @throws BadParquetFileException the row group's data is corrupt or cut short
     */
    public RowGroupBatch nextRowGroup() throws IOException {
        int index = nextIndex;
        try {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return null;
            }
            nextIndex++;
            long groupRows = pages.getRowCount();
            if (groupRows > Integer.MAX_VALUE - 8) {
                throw new BadParquetFileException("row group " + index + " has " + groupRows
                        + " rows, more than one batch can hold");
            }
            int rows = (int) groupRows;
            for (int col = 0; col < fillers.length; col++) {
                fillers[col].reset(rows);
                chunkReaders[col].read(pages.getPageReader(descriptors.get(col)), fillers[col], rows, index);
            }
            batch.reset(index, rows);
            return batch;
        } catch (BadParquetFileException e) {
            throw e;
        } catch (EOFException | RuntimeException e) {
            throw new BadParquetFileException("corrupt Parquet data in row group " + index + " of " + file
                    .getFileName() + ": " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
