package dev.sluice.parquet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Checks requested columns against a file's schema and builds the projection that is all the reader will touch.
 * Every rule failure names the column and the rule, because the message ends up in an error record that a person
 * reads to fix the producer of the file.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    /** The requested columns as a schema in request order, or the first violation as an exception. */
    static MessageType project(MessageType file, List<ColumnSpec> specs) throws BadParquetFileException {
        var seen = new HashSet<String>();
        List<Type> fields = new ArrayList<>(specs.size());
        for (ColumnSpec spec : specs) {
            if (!seen.add(spec.name())) {
                throw new IllegalArgumentException("column " + spec.name() + " is requested twice");
            }
            if (!file.containsField(spec.name())) {
                throw new BadParquetFileException("column " + spec.name() + " is missing");
            }
            Type field = file.getType(spec.name());
            if (!field.isPrimitive()) {
                throw new BadParquetFileException("column " + spec.name() + ": expected " + expected(spec.type())
                        + ", found a nested group");
            }
            if (field.isRepetition(Type.Repetition.REPEATED)) {
                throw new BadParquetFileException("column " + spec.name() + ": expected one " + expected(spec.type())
                        + " per row, found a repeated column");
            }
            PrimitiveType primitive = field.asPrimitiveType();
            if (!matches(primitive, spec.type())) {
                throw new BadParquetFileException("column " + spec.name() + ": expected " + expected(spec.type())
                        + ", found " + describe(primitive));
            }
            fields.add(field);
        }
        return new MessageType(file.getName(), fields);
    }

    private static boolean matches(PrimitiveType type, ColumnType wanted) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return switch (wanted) {
            case STRING -> type.getPrimitiveTypeName() == PrimitiveTypeName.BINARY
                    && (logical == null
                        || logical instanceof StringLogicalTypeAnnotation
                        || logical instanceof EnumLogicalTypeAnnotation);
            case INT64 -> type.getPrimitiveTypeName() == PrimitiveTypeName.INT64
                    && (logical == null
                        || logical instanceof IntLogicalTypeAnnotation i && i.getBitWidth() == 64 && i.isSigned());
        };
    }

    private static String expected(ColumnType type) {
        return switch (type) {
            case STRING -> "BINARY (string)";
            case INT64 -> "INT64";
        };
    }

    /**
     * "BINARY (string)", "INT64", "INT32 (date)": the physical type and its annotation, leaving out a signed
     * integer annotation of the physical width (DuckDB and pyarrow add one), which says nothing more.
     */
    private static String describe(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        String physical = type.getPrimitiveTypeName().name();
        boolean plainInteger = logical instanceof IntLogicalTypeAnnotation i && i.isSigned()
                && physical.equals("INT" + i.getBitWidth());
        return logical == null || plainInteger
                ? physical
                : physical + " (" + logical.toString().toLowerCase(Locale.ROOT) + ")";
    }
}
