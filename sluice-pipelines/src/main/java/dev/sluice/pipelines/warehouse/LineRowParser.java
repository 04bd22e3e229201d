package dev.sluice.pipelines.warehouse;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.Flattener;
import dev.sluice.core.json.JsonKinds;
import dev.sluice.core.json.JsonObjectParser;
import dev.sluice.core.json.RecordSchema;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One raw NDJSON line → the values of the warehouse table's columns (the {@code columns} of a {@code warehouse_load}
 * job, in their order), in PostgreSQL's text input form, or a reject naming every broken field and rule (never a
 * value).
 *
 * <p>Each column comes from the JSON field of the same name (nested objects are flattened first:
 * {@code {"context":{"locale":…}}} is {@code context_locale}), converted as its {@link ColumnConversion} says: not
 * nullable columns are required and non-null, the others optional or null; strings at most their {@code maxLength};
 * booleans JSON booleans; integers a digit string or a JSON integer that fits {@code INTEGER}; timestamps naive UTC
 * or ISO 8601 with an offset ({@link WarehouseTimestamps}), stored as the UTC {@code TIMESTAMP} or, for
 * {@code timestamptz}, as the instant. Fields that are not columns are ignored. A reject lists the string, boolean
 * and required rules first, then the integers', then the timestamps', each group in column order.
 *
 * <pre>{@code
 * Outcome<List<String>> row = new LineRowParser(columns, 1 << 20).apply(line);
 * }</pre>
 */
public final class LineRowParser implements Stage<String, List<String>> {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final List<String> columns;
    private final Map<String, ColumnConversion> conversions;
    /** The string and boolean rules of every column, and the presence of the others (read as strings). */
    private final RecordSchema schema;
    private final StreamedRow streamed;
    private final Stage<String, Map<String, JsonNode>> flat;

    /**
     * @param columns      the table's columns in order, each with its conversion
     * @param maxLineBytes the longest line accepted as JSON
     */
    public LineRowParser(Map<String, ColumnConversion> columns, int maxLineBytes) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns must name at least one column");
        }
        this.conversions = new LinkedHashMap<>(columns);
        this.columns = List.copyOf(columns.keySet());
        this.schema = RecordSchema.of(columns.entrySet().stream()
                .filter(column -> column.getValue().type() != ColumnType.INTEGER)
                .map(column -> spec(column.getKey(), column.getValue())).toList());
        this.streamed = new StreamedRow(this.columns, conversions, schema, maxLineBytes);
        this.flat = new JsonObjectParser(maxLineBytes).then(new Flattener(new HashSet<>(this.columns)));
    }

    /** The columns, in the order of every row's values. */
    public List<String> columns() {
        return columns;
    }

    /** The string and boolean rules, for the streaming read it is compared with (tests). */
    RecordSchema schema() {
        return schema;
    }

    private static FieldSpec spec(String name, ColumnConversion conversion) {
        FieldSpec spec = conversion.type() == ColumnType.BOOLEAN ? FieldSpec.of(name, FieldType.BOOLEAN)
                : FieldSpec.string(name);
        if (conversion.maxLength() > 0) {
            spec = spec.maxLength(conversion.maxLength());
        }
        return conversion.nullable() ? spec.optional().nullable() : spec;
    }


    @Override
    public Outcome<List<String>> apply(String line) {
        // Most lines are valid: the streaming read takes those without a tree. Any other line is read again as a
        // tree, which finds every broken rule and words the reject.
        String[] row = streamed.read(line);
        if (row != null) {
            return Outcome.emit(Arrays.asList(row));
        }
        return readTree(line);
    }

    /** The line read as a JSON tree: the path that words every reject. */
    Outcome<List<String>> readTree(String line) {
        Outcome<Map<String, JsonNode>> parsed = flat.apply(line);
        if (!(parsed instanceof Outcome.Emit<Map<String, JsonNode>>(Map<String, JsonNode> fields))) {
            return parsed instanceof Outcome.Reject<Map<String, JsonNode>> reject
                    ? Outcome.reject(reject.reason()) : Outcome.reject("line: not a JSON object");
        }
        List<String> problems = new ArrayList<>();
        FlatRecord record = switch (schema.apply(fields)) {
            case Outcome.Emit<FlatRecord> emit -> emit.value();
            case Outcome.Reject<FlatRecord> reject -> {
                problems.add(reject.reason());
                yield null;
            }
            case Outcome.Drop<FlatRecord> drop -> null;
        };
        String[] values = new String[columns.size()];
        for (int i = 0; i < values.length; i++) {
            if (conversions.get(columns.get(i)).type() == ColumnType.INTEGER) {
                values[i] = integer(columns.get(i), fields.get(columns.get(i)), problems);
            }
        }
        for (int i = 0; i < values.length; i++) {
            ColumnType type = conversions.get(columns.get(i)).type();
            if (record != null && (type == ColumnType.TIMESTAMP || type == ColumnType.TIMESTAMPTZ)) {
                values[i] = timestamp(columns.get(i), type, record, problems);
            } else if (record != null && type != ColumnType.INTEGER) {
                Object value = record.values().get(columns.get(i));
                values[i] = value == null ? null : value.toString();
            }
        }
        if (!problems.isEmpty()) {
            return Outcome.reject(String.join("; ", problems));
        }
        return Outcome.emit(Arrays.asList(values));
    }

    /** An integer column: absent or null → NULL; a digit string or a JSON integer within INTEGER → its value. */
    private static String integer(String column, JsonNode node, List<String> problems) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        long value;
        if (node.isString()) {
            if (!DIGITS.matcher(node.stringValue()).matches()) {
                problems.add(column + ": expected a digit string or an integer, got a string with other characters");
                return null;
            }
            if (node.stringValue().length() > 10) {
                problems.add(column + ": out of range for INTEGER (at most " + Integer.MAX_VALUE + ")");
                return null;
            }
            value = Long.parseLong(node.stringValue());
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else {
            problems.add(column + ": expected a digit string or an integer, got " + JsonKinds.describe(node));
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            problems.add(column + ": out of range for INTEGER (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    + ")");
            return null;
        }
        return Long.toString(value);
    }

    private static String timestamp(String column, ColumnType type, FlatRecord record, List<String> problems) {
        // Optional: an absent field is not in the record at all, and is stored as NULL like a JSON null.
        String text = record.has(column) ? record.string(column) : null;
        if (text == null) {
            return null;
        }
        try {
            return stored(column, type, text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** A timestamp column's value as stored; {@link IllegalArgumentException} naming the column and rule. */
    static String stored(String column, ColumnType type, String text) {
        Instant instant = WarehouseTimestamps.parseInstant(column, text);
        // TIMESTAMPTZ: the instant, written with Z so the session's time zone cannot change it.
        return type == ColumnType.TIMESTAMPTZ ? instant.toString()
                : LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
