package dev.sluice.parquet;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * parquet-java's writer builder for a local file of rows of {@code T}, with no Hadoop configuration: the builder
 * is abstract, and this is the one place that plugs a schema and a row mapping into it. Starts with
 * {@link PlainParquetConfiguration} and overwrite mode; everything else is parquet-java's builder.
 *
 * <pre>{@code
 * ParquetWriter<Row> writer = new LocalParquetWriterBuilder<Row>(file, SCHEMA, (out, row) -> {
 *     out.startMessage();
 *     ...
 *     out.endMessage();
 * }).withCompressionCodec(CompressionCodecName.ZSTD).build();
 * }</pre>
 */
public final class LocalParquetWriterBuilder<T> extends ParquetWriter.Builder<T, LocalParquetWriterBuilder<T>> {
    private final MessageType schema;
    private final BiConsumer<RecordConsumer, T> writeRow;

    /**
     * @param writeRow writes one row between {@code startMessage} and {@code endMessage}; a null value is a field
     *                 left out
     */
    public LocalParquetWriterBuilder(Path file, MessageType schema, BiConsumer<RecordConsumer, T> writeRow) {
        super(new LocalOutputFile(file));
        this.schema = Objects.requireNonNull(schema, "schema");
        this.writeRow = Objects.requireNonNull(writeRow, "writeRow");
        withConf(new PlainParquetConfiguration());
        withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
    }

    @Override
    protected LocalParquetWriterBuilder<T> self() {
        return this;
    }

    /** Abstract (and deprecated) in parquet-java 1.18; the ParquetConfiguration overload below is used. */
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
        return new RowWriteSupport<>(schema, writeRow);
    }

    @Override
    protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
        return new RowWriteSupport<>(schema, writeRow);
    }

    private static final class RowWriteSupport<T> extends WriteSupport<T> {
        private final MessageType schema;
        private final BiConsumer<RecordConsumer, T> writeRow;
        private RecordConsumer out;

        RowWriteSupport(MessageType schema, BiConsumer<RecordConsumer, T> writeRow) {
            this.schema = schema;
            this.writeRow = writeRow;
        }

        /** Abstract (and deprecated) in parquet-java 1.18; the ParquetConfiguration overload below is used. */
        @Override
        @SuppressWarnings("deprecation")
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            out = recordConsumer;
        }

        @Override
        public void write(T row) {
            writeRow.accept(out, row);
        }
    }
}
