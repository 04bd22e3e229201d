package dev.sluice.parquet.totals;

import dev.sluice.parquet.LocalParquetWriterBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet files of any columns for the totals tests: a column whose first value is a {@link String} is an optional
 * string, a {@link Long} an optional int64; {@code null} is a value left out (read as null).
 */
public final class TotalsFiles {

    private TotalsFiles() {
    }

    /**
     * @param columns column name → type ({@code String.class} or {@code Long.class}), in file order
     * @param rows    one value per column, in the same order
     */
    public static Path write(Path file, Map<String, Class<?>> columns, int rowsPerRowGroup, List<Object[]> rows)
            throws IOException {
        List<Type> fields = new ArrayList<>();
        columns.forEach((name, type) -> fields.add(type == String.class
                ? Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name)
                : Types.optional(PrimitiveTypeName.INT64).named(name)));
        MessageType schema = new MessageType("totals", fields);
        List<String> names = List.copyOf(columns.keySet());
        try (ParquetWriter<Object[]> writer = new LocalParquetWriterBuilder<Object[]>(file, schema, (out, row) -> {
            out.startMessage();
            for (int i = 0; i < names.size(); i++) {
                if (row[i] == null) {
                    continue;
                }
                out.startField(names.get(i), i);
                if (row[i] instanceof String text) {
                    out.addBinary(Binary.fromString(text));
                } else {
                    out.addLong((Long) row[i]);
                }
                out.endField(names.get(i), i);
            }
            out.endMessage();
        }).withRowGroupRowCountLimit(rowsPerRowGroup).build()) {
            for (Object[] row : rows) {
                writer.write(row);
            }
        }
        return file;
    }

    public static Object[] row(Object... values) {
        return values;
    }
}
