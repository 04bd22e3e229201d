package dev.sluice.parquet;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.files.FileFormat;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code format: parquet} of the {@code files} sink: one typed column per field that reaches the sink, in the order
 * the schema (and the processors after it) leave them. The columns are what the YAML declares, so the format needs a
 * {@code schema} processor before the sink ({@link #forFields} refuses unknown fields).
 *
 * <p>Types: string → {@code binary (STRING)}; integer → {@code int64}; number → {@code binary (STRING)} holding the
 * exact decimal as sent ({@code 12.50}), since a Parquet decimal has one scale per column and a JSON number has its
 * own; double → {@code double}; boolean → {@code boolean}; timestamp → {@code int64 TIMESTAMP(MICROS, UTC)}; date → {@code int32 DATE}. A
 * field that is optional or nullable is an optional column, the others required. Files are ZSTD-compressed, with row
 * groups of {@value #ROW_GROUP_BYTES} bytes, so an open file holds at most that much in memory.
 */
public final class ParquetFormat implements FileFormat {
    public static final String NAME = "parquet";
    /** What the catalog offers: bound to a sink's fields by {@link #forFields}. */
    static final ParquetFormat UNBOUND = new ParquetFormat(null, List.of());
    static final int ROW_GROUP_BYTES = 8 << 20;
    private static final Logger log = LoggerFactory.getLogger(ParquetFormat.class);

    private final MessageType schema;
    private final List<FieldSpec> columns;

    private ParquetFormat(MessageType schema, List<FieldSpec> columns) {
        this.schema = schema;
        this.columns = columns;
    }

    /** The format for these fields; also for tests and tools that write such files without a pipeline. */
    public static ParquetFormat of(List<FieldSpec> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("format: parquet needs at least one field to make a column of");
        }
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (FieldSpec field : fields) {
            Type.Repetition repetition = field.required() && !field.nullAllowed() ? Type.Repetition.REQUIRED
                    : Type.Repetition.OPTIONAL;
            message.addField(switch (field.type()) {
                case STRING, NUMBER -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType()).named(field.name());
                case INTEGER -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(field.name());
                case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(field.name());
                case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(field.name());
                case TIMESTAMP -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(field.name());
                case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                        .as(LogicalTypeAnnotation.dateType()).named(field.name());
            });
        }
        return new ParquetFormat(message.named("event"), List.copyOf(fields));
    }

    @Override
    public FileFormat forFields(Fields reaching) {
        if (!reaching.isKnown()) {
            throw new IllegalArgumentException("format: parquet makes its columns from the fields a schema declares; "
                    + "put a schema processor before the sink");
        }
        return of(reaching.all());
    }

    /** The file schema (for readers and tests). */
    public MessageType schema() {
        return schema;
    }

    @Override
    public String extension() {
        return ".parquet";
    }

    @Override
    public String contentType() {
        return "application/vnd.apache.parquet";
    }

    /** Refuses an event that lacks a required column's value or holds a value of another type than declared. */
    @Override
    public void check(Event event) throws DestinationRejectedException {
        Map<String, Object> values = event.record().values();
        for (FieldSpec column : columns) {
            Object value = values.get(column.name());
            if (value == null) {
                if (schema.getType(column.name()).isRepetition(Type.Repetition.REQUIRED)) {
                    throw new DestinationRejectedException("parquet: field '" + column.name()
                            + "' is missing or null, and its column is required");
                }
            } else if (!javaType(column.type()).isInstance(value)) {
                throw new DestinationRejectedException("parquet: field '" + column.name() + "' does not hold "
                        + column.type().description() + " (its column is declared so)");
            }
        }
    }

    @Override
    public Writer open(Path file) throws IOException {
        if (schema == null) {
            throw new IllegalStateException("the parquet format is bound to a sink's fields first (forFields)");
        }
        ParquetWriter<Event> parquet = new LocalParquetWriterBuilder<Event>(file, schema, this::writeRow)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withRowGroupSize((long) ROW_GROUP_BYTES)
                .build();
        return new Writer() {
            @Override
            public void append(Event event) throws IOException {
                parquet.write(event);
            }

            @Override
            public long bytes() {
                return parquet.getDataSize();
            }

            @Override
            public void close() throws IOException {
                parquet.close();
            }

            @Override
            public void discard() {
                try {
                    parquet.close();
                } catch (IOException | RuntimeException e) {
                    log.debug("closing a discarded file failed too: {}", e.toString());
                }
            }
        };
    }

    private void writeRow(RecordConsumer out, Event event) {
        Map<String, Object> values = event.record().values();
        out.startMessage();
        for (int i = 0; i < columns.size(); i++) {
            FieldSpec column = columns.get(i);
            Object value = values.get(column.name());
            if (value == null) {
                continue;
            }
            out.startField(column.name(), i);
            switch (column.type()) {
                case STRING -> out.addBinary(Binary.fromConstantByteArray(((String) value)
                        .getBytes(StandardCharsets.UTF_8)));
                case NUMBER -> out.addBinary(Binary.fromConstantByteArray(((BigDecimal) value).toPlainString()
                        .getBytes(StandardCharsets.UTF_8)));
                case INTEGER -> out.addLong((Long) value);
                case DOUBLE -> out.addDouble((Double) value);
                case BOOLEAN -> out.addBoolean((Boolean) value);
                case TIMESTAMP -> out.addLong(micros(((OffsetDateTime) value).toInstant()));
                case DATE -> out.addInteger((int) ((LocalDate) value).toEpochDay());
            }
            out.endField(column.name(), i);
        }
        out.endMessage();
    }

    /** Microseconds since the epoch; a finer fraction is cut (Parquet's timestamps here are micros, as DuckDB's). */
    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Class<?> javaType(FieldType type) {
        return switch (type) {
            case STRING -> String.class;
            case INTEGER -> Long.class;
            case NUMBER -> BigDecimal.class;
            case DOUBLE -> Double.class;
            case BOOLEAN -> Boolean.class;
            case TIMESTAMP -> OffsetDateTime.class;
            case DATE -> LocalDate.class;
        };
    }
}
