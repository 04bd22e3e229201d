package dev.sluice.parquet.lake;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * One lake file being written to local disk: {@link #SCHEMA}, row groups of about {@code rowGroupBytes} flushed to
 * the file as they fill, so only the open row group is in memory. Not thread-safe.
 *
 * <p>Values go straight to parquet-java's column writers, one call per column, rather than through
 * {@code ParquetWriter}'s record consumer, which walks the schema and checks every field of every record; the
 * row-group cut (buffered bytes checked every so many records) is the one {@code ParquetWriter} makes.
 *
 * <p>Summing the buffered bytes walks every column, too costly per row; {@link #dataSize} measures them only when
 * an upper bound of the growth since the last measure could reach {@code maxFileBytes}, so a size roll happens at
 * the same row as with a measure after every row.
 */
final class LakeParquetFile implements Closeable {

    /** The lake's file schema (docs/pipelines/lake.md); the partition columns are in the path only. */
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message lake_event {
              required binary event_uuid (STRING);
              required binary event_name (STRING);
              optional binary event_subtype (STRING);
              required double created_at;
              required binary created_datetime (STRING);
              required binary payload (STRING);
            }""");

    private final ParquetFileWriter file;
    private final ParquetProperties properties;
    private final CodecFactory codecs;
    private final BytesInputCompressor compressor;
    private final long rowGroupBytes;
    private final long maxFileBytes;
    private int rowGroupOrdinal;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    private ColumnWriter eventUuid;
    private ColumnWriter eventName;
    private ColumnWriter eventSubtype;
    private ColumnWriter createdAt;
    private ColumnWriter createdDatetime;
    private ColumnWriter payload;
    private long rows;
    private long rowGroupRows;
    private long nextSizeCheck;
    private long lastRowGroupEnd;
    private long measuredSize;
    private long growthBound;

    private LakeParquetFile(ParquetFileWriter file, ParquetProperties properties, CodecFactory codecs,
                            BytesInputCompressor compressor, LakeFileSettings settings) {
        this.file = file;
        this.properties = properties;
        this.codecs = codecs;
        this.compressor = compressor;
        this.rowGroupBytes = settings.rowGroupBytes();
        this.maxFileBytes = settings.maxFileBytes();
        this.nextSizeCheck = properties.getMinRowCountForPageSizeCheck();
        openRowGroup();
    }

    /** Creates (or overwrites) {@code file}. */
    static LakeParquetFile create(Path file, LakeFileSettings settings) throws IOException {
        // parquet-java keeps a compression buffer of one page per open file whether it fills or not, so pages
        // follow the row group: 1 MiB pages for 16 MiB row groups and up, smaller ones below.
        int pageBytes = (int) Math.max(1024, Math.min(ParquetProperties.DEFAULT_PAGE_SIZE,
                settings.rowGroupBytes() / 16));
        ParquetProperties properties = ParquetProperties.builder()
                .withPageSize(pageBytes)
                .withDictionaryPageSize(pageBytes)
                // Names and subtypes repeat; ids, times and payloads hardly do, and their dictionaries would only
                // hold memory until they fall back to plain.
                .withDictionaryEncoding(false)
                .withDictionaryEncoding("event_name", true)
                .withDictionaryEncoding("event_subtype", true)
                // Min/max of ids and JSON payloads prune nothing and cost a byte-wise comparison per value.
                .withStatisticsEnabled("event_uuid", false)
                .withStatisticsEnabled("payload", false)
                .withSizeStatisticsEnabled(false)
                .withPageWriteChecksumEnabled(false)
                .build();
        ParquetFileWriter writer = new ParquetFileWriter(new LocalOutputFile(file), SCHEMA,
                ParquetFileWriter.Mode.OVERWRITE, settings.rowGroupBytes(), ParquetWriter.MAX_PADDING_SIZE_DEFAULT,
                null, properties);
        writer.start();
        CodecFactory codecs = new CodecFactory(new PlainParquetConfiguration(), pageBytes);
        return new LakeParquetFile(writer, properties, codecs,
                codecs.getCompressor(settings.compression().codec()), settings);
    }

    /** Appends one row; a null subtype is a null value. */
    void write(LakeEvent event) throws IOException {
        long stringBytes = string(eventUuid, event.eventUuid()) + string(eventName, event.eventName());
        if (event.eventSubtype() == null) {
            eventSubtype.writeNull(0, 0);
        } else {
            Binary subtype = utf8(event.eventSubtype());
            eventSubtype.write(subtype, 0, 1);
            stringBytes += subtype.length();
        }
        createdAt.write(event.createdAt(), 0, 0);
        stringBytes += string(createdDatetime, event.createdDatetime()) + string(payload, event.payload());
        columns.endRecord();
        // A row adds at most its values (length-prefixed) to the page buffers, and a page at most its compressed
        // size, a header and min/max values of its rows: twice the values plus a margin covers it.
        growthBound += 2 * (stringBytes + 5 * Integer.BYTES + Double.BYTES) + 256;
        rows++;
        rowGroupRows++;
        if (rowGroupRows >= nextSizeCheck) {
            checkRowGroupSize();
        }
    }

    long rows() {
        return rows;
    }

    /**
     * Bytes written to the file plus bytes buffered for the open row group: exact once that may reach
     * {@code maxFileBytes}, below it an upper bound.
     */
    long dataSize() {
        if (measuredSize + growthBound >= maxFileBytes) {
            measure(columns.getBufferedSize());
        }
        return measuredSize + growthBound;
    }

    private void measure(long buffered) {
        measuredSize = lastRowGroupEnd + buffered;
        growthBound = 0;
    }

    /** Writes the last row group and the footer; the file is valid Parquet only after this. */
    @Override
    public void close() throws IOException {
        try {
            flushRowGroup();
            file.end(Map.of());
        } finally {
            columns.close();
            pages.close();
            codecs.release();
            file.close();
        }
    }

    /**
     * Buffered bytes are summed over every column, so they are checked only now and then: the row group is cut
     * when it is within two rows of its size, else checked again halfway to the size the rows so far predict.
     */
    private void checkRowGroupSize() throws IOException {
        long buffered = columns.getBufferedSize();
        long rowBytes = Math.max(1, buffered / rowGroupRows);
        if (buffered > rowGroupBytes - 2 * rowBytes) {
            long written = rowGroupRows;
            flushRowGroup();
            columns.close();
            pages.close();
            openRowGroup();
            lastRowGroupEnd = file.getPos();
            measure(0);
            nextSizeCheck = Math.min(Math.max(properties.getMinRowCountForPageSizeCheck(), written / 2),
                    properties.getMaxRowCountForPageSizeCheck());
        } else {
            measure(buffered);
            nextSizeCheck = Math.min(Math.max(properties.getMinRowCountForPageSizeCheck(),
                            (rowGroupRows + rowGroupBytes / rowBytes) / 2),
                    rowGroupRows + properties.getMaxRowCountForPageSizeCheck());
        }
    }

    private void openRowGroup() {
        pages = ColumnChunkPageWriteStore.builder()
                .withCompressorProvider(column -> compressor)
                .withSchema(SCHEMA)
                .withAllocator(properties.getAllocator())
                .withColumnIndexTruncateLength(properties.getColumnIndexTruncateLength())
                .withPageWriteChecksumEnabled(properties.getPageWriteChecksumEnabled())
                .withRowGroupOrdinal(rowGroupOrdinal)
                .build();
        columns = properties.newColumnWriteStore(SCHEMA, pages, pages);
        eventUuid = column("event_uuid");
        eventName = column("event_name");
        eventSubtype = column("event_subtype");
        createdAt = column("created_at");
        createdDatetime = column("created_datetime");
        payload = column("payload");
    }

    private ColumnWriter column(String name) {
        return columns.getColumnWriter(SCHEMA.getColumnDescription(new String[] {name}));
    }

    private void flushRowGroup() throws IOException {
        if (rowGroupRows > 0) {
            rowGroupOrdinal++;
            file.startBlock(rowGroupRows);
            columns.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
            rowGroupRows = 0;
        }
    }

    /** Writes a required string; its length in bytes. */
    private static int string(ColumnWriter column, String value) {
        Binary bytes = utf8(value);
        column.write(bytes, 0, 0);
        return bytes.length();
    }

    /**
     * A string as UTF-8 bytes in an array: {@code Binary.fromString} wraps them in a ByteBuffer, which makes every
     * hash, comparison and copy downstream slower.
     */
    private static Binary utf8(String value) {
        return Binary.fromConstantByteArray(value.getBytes(StandardCharsets.UTF_8));
    }
}
