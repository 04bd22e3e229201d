package dev.sluice.parquet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes Parquet files of event durations: per row a user (UserID string), an event type (EventType string) and a
 * duration (EventDuration int64), all nullable like pyarrow's default, row by row with parquet-java, for the test
 * data generator, tests and benchmarks. Rows are streamed: only the open row group is buffered.
 */
public final class EventDurationFileWriter implements Closeable {

    /** The schema as every writer we expect (pyarrow, Spark, DuckDB) produces it. */
    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message event_durations {
              optional binary UserID (STRING);
              optional binary EventType (STRING);
              optional int64 EventDuration;
            }""");

    /** The requested columns in the schema's order, for {@link ParquetColumnReader#open}. */
    public static final List<ColumnSpec> COLUMNS = List.of(
            ColumnSpec.string("UserID"), ColumnSpec.string("EventType"), ColumnSpec.int64("EventDuration"));

    private final ParquetWriter<Row> writer;
    private long rows;

    private EventDurationFileWriter(ParquetWriter<Row> writer) {
        this.writer = writer;
    }

    /**
     * Creates (or overwrites) {@code file}.
     *
     * @param rowsPerRowGroup a row group is closed after this many rows (or earlier at parquet-java's 128 MB)
     * @param dictionary {@code false} stores every string plain, to exercise readers' plain path
     */
    public static EventDurationFileWriter create(Path file, Compression compression, int rowsPerRowGroup,
            boolean dictionary) throws IOException {
        if (rowsPerRowGroup < 1) {
            throw new IllegalArgumentException("rowsPerRowGroup must be at least 1, was " + rowsPerRowGroup);
        }
        ParquetWriter<Row> writer = new LocalParquetWriterBuilder<>(file, SCHEMA, EventDurationFileWriter::writeRow)
                .withCompressionCodec(compression.codec())
                .withRowGroupRowCountLimit(rowsPerRowGroup)
                .withDictionaryEncoding(dictionary)
                .build();
        return new EventDurationFileWriter(writer);
    }

    /** Appends a row; any value may be {@code null} (for tests of null handling; the generator never writes one). */
    public void write(String userId, String eventType, Long eventDuration) throws IOException {
        writer.write(new Row(userId, eventType, eventDuration));
        rows++;
    }

    public long rowsWritten() {
        return rows;
    }

    /** Writes the last row group and the footer; the file is a valid Parquet file only after this. */
    @Override
    public void close() throws IOException {
        writer.close();
    }

    private record Row(String userId, String eventType, Long eventDuration) {
    }

    /** Maps a {@link Row} onto {@link #SCHEMA}; a null value is a field left out, which Parquet reads as null. */
    private static void writeRow(RecordConsumer out, Row row) {
        out.startMessage();
        if (row.userId() != null) {
            out.startField("UserID", 0);
            out.addBinary(Binary.fromString(row.userId()));
            out.endField("UserID", 0);
        }
        if (row.eventType() != null) {
            out.startField("EventType", 1);
            out.addBinary(Binary.fromString(row.eventType()));
            out.endField("EventType", 1);
        }
        if (row.eventDuration() != null) {
            out.startField("EventDuration", 2);
            out.addLong(row.eventDuration());
            out.endField("EventDuration", 2);
        }
        out.endMessage();
    }
}
