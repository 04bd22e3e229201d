package dev.sluice.pipelines.warehouse;

import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.RecordSchema;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fast path of {@link LineRowParser}: reads a line with Jackson's streaming parser straight into the column
 * values, without building a JSON tree, and gives up (returns null) at the first thing that is not plainly valid.
 * The tree path then reads that line again and words the reject, so a reason is built in one place only.
 *
 * <p>It accepts a strict subset of what the tree path accepts, and makes the same values of it: one JSON object
 * with nothing after it and no key twice (Jackson's duplicate detection), nested objects flattened to
 * {@code parent_child} names with no two keys flattening to one name, every column's field of the type, length and
 * nullness the parser's schema declares, integer columns a digit string or integer within {@code INTEGER}, and the
 * timestamps as {@link WarehouseTimestamps} reads them. Fields that are not columns are
 * ignored, but decoded as the tree would decode them, so a value the tree cannot hold still sends the line down the
 * tree path.
 *
 * <pre>{@code
 * String[] values = streamed.read(line); // null: let the tree path decide
 * }</pre>
 */
final class StreamedRow {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final long MAX_INTEGER_DIGITS = 10;

    private final List<String> columns;
    private final ColumnType[] types;
    /** Column index by flat field name. */
    private final Map<String, Integer> index = new HashMap<>();
    /** The schema's rule for each column; null for integer columns, which have their own. */
    private final FieldSpec[] specs;
    private final int maxLineBytes;

    StreamedRow(List<String> columns, Map<String, ColumnConversion> conversions, RecordSchema schema,
                int maxLineBytes) {
        this.columns = columns;
        this.types = new ColumnType[columns.size()];
        this.specs = new FieldSpec[columns.size()];
        for (int column = 0; column < columns.size(); column++) {
            index.put(columns.get(column), column);
            types[column] = conversions.get(columns.get(column)).type();
        }
        for (FieldSpec spec : schema.fields()) {
            specs[index.get(spec.name())] = spec;
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** The column values of {@code line} in column order, or null to let the tree decide. */
    String[] read(String line) {
        // Three UTF-8 bytes per char at most: a line that could be over the limit is left to the tree path's count.
        if ((long) line.length() * 3 > maxLineBytes) {
            return null;
        }
        String[] values = new String[columns.size()];
        boolean[] seen = new boolean[columns.size()];
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT
                    || !readObject(parser, "", new HashSet<>(), values, seen)
                    || parser.nextToken() != null) {
                return null;
            }
        } catch (JacksonException e) {
            // Not valid JSON, a duplicate key, a limit: the tree path finds the same and says which.
            return null;
        }
        for (int column = 0; column < values.length; column++) {
            FieldSpec spec = specs[column];
            if (spec != null && !seen[column] && spec.required()) {
                return null;
            }
        }
        return timestamps(values) ? values : null;
    }

    /** Reads the fields of an object whose start was just read; false when a field is not plainly valid. */
    private boolean readObject(JsonParser parser, String prefix, Set<String> flatNames, String[] values,
                                      boolean[] seen) {
        String key;
        while ((key = parser.nextName()) != null) {
            String name = prefix.isEmpty() ? key : prefix + key;
            Integer column = index.get(name);
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                // Columns are scalars: the flattener keeps an object under a column's name whole and the schema
                // rejects it.
                if (column != null || !readObject(parser, name + "_", flatNames, values, seen)) {
                    return false;
                }
                continue;
            }
            if (!flatNames.add(name)) {
                return false;  // two keys flatten to one name
            }
            if (column == null) {
                decodeIgnored(parser, token);
            } else if (!readColumn(parser, token, column, values)) {
                return false;
            } else {
                seen[column] = true;
            }
        }
        return true;
    }

    /** A field that is not a column: decoded as the tree would decode it, so what the tree cannot hold fails here. */
    private static void decodeIgnored(JsonParser parser, JsonToken token) {
        switch (token) {
            case START_ARRAY -> {
                JsonToken inner;
                int depth = 1;
                while (depth > 0 && (inner = parser.nextToken()) != null) {
                    if (inner == JsonToken.START_ARRAY || inner == JsonToken.START_OBJECT) {
                        depth++;
                    } else if (inner == JsonToken.END_ARRAY || inner == JsonToken.END_OBJECT) {
                        depth--;
                    } else {
                        decodeIgnored(parser, inner);
                    }
                }
            }
            case VALUE_STRING -> parser.getStringLength();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_NUMBER_INT -> parser.getNumberType();
            default -> { }
        }
    }

    private boolean readColumn(JsonParser parser, JsonToken token, int column, String[] values) {
        FieldSpec spec = specs[column];
        if (token == JsonToken.VALUE_NULL) {
            return spec == null || spec.nullAllowed();  // an integer column: null is NULL
        }
        if (spec == null) {
            return integer(parser, token, column, values);
        }
        if (spec.type() == FieldType.BOOLEAN) {
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                return false;
            }
            values[column] = token == JsonToken.VALUE_TRUE ? "true" : "false";
            return true;
        }
        if (spec.type() != FieldType.STRING || token != JsonToken.VALUE_STRING || spec.format() != null) {
            return false;
        }
        String text = parser.getString();
        if (spec.maxLength() > 0 && text.length() > spec.maxLength()) {
            return false;
        }
        values[column] = text;
        return true;
    }

    /** An integer column: a digit string or a JSON integer within INTEGER, written as the tree path writes it. */
    private static boolean integer(JsonParser parser, JsonToken token, int column, String[] values) {
        long value;
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getString();
            if (text.isEmpty() || text.length() > MAX_INTEGER_DIGITS) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            value = Long.parseLong(text);
        } else if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            value = parser.getLongValue();
        } else {
            return false;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            return false;
        }
        values[column] = Long.toString(value);
        return true;
    }

    /** Replaces the timestamp texts with the values the tree path stores; false when one is not a valid time. */
    private boolean timestamps(String[] values) {
        try {
            for (int column = 0; column < values.length; column++) {
                if (values[column] != null
                        && (types[column] == ColumnType.TIMESTAMP || types[column] == ColumnType.TIMESTAMPTZ)) {
                    values[column] = LineRowParser.stored(columns.get(column), types[column], values[column]);
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            // The tree path reads the line again and names the field and the rule.
            return false;
        }
    }
}
