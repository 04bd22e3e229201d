package dev.sluice.pipelines.tracking;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One raw NDJSON line → the values of the {@code events} columns ({@link #COLUMNS}, in the order of
 * {@code db/tracking/V1__events.sql}), in PostgreSQL's text input form, or a reject naming every broken field and
 * rule (never a value).
 *
 * <p>Each column comes from the JSON field of the same name (nested objects are flattened first:
 * {@code {"context":{"locale":…}}} is {@code context_locale}). Rules, from the DDL: {@code NOT NULL} columns are
 * required and non-null, the others optional or null; strings at most their {@code VARCHAR} length; booleans JSON
 * booleans; {@code user_id} a digit string or a JSON integer that fits {@code INTEGER}; {@code timestamp},
 * {@code sent_at}, {@code received_at} and {@code original_timestamp} naive UTC or ISO 8601 with an offset
 * ({@link TrackingTimestamps}), the first three stored as UTC {@code TIMESTAMP}, {@code original_timestamp} as
 * {@code TIMESTAMPTZ} (the instant its offset gives). Fields not in the table (e.g. {@code context_device_token})
 * are ignored.
 *
 * <pre>{@code
 * Outcome<List<String>> row = new EventRowParser(1 << 20).apply(line);
 * }</pre>
 */
public final class EventRowParser implements Stage<String, List<String>> {
    static final String USER_ID = "user_id";
    static final String ORIGINAL_TIMESTAMP = "original_timestamp";
    static final List<String> NAIVE_TIMESTAMPS = List.of("timestamp", "sent_at", "received_at");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    /** Every column except {@code user_id} and the timestamps, which have rules of their own. */
    static final RecordSchema SCHEMA = RecordSchema.of(
            FieldSpec.string("id").maxLength(36),
            FieldSpec.string("anonymous_id").maxLength(36),
            optional("context_app_version", 8),
            FieldSpec.of("context_device_ad_tracking_enabled", FieldType.BOOLEAN).optional().nullable(),
            optional("context_device_manufacturer", 32),
            optional("context_device_model", 32),
            FieldSpec.string("context_device_type").maxLength(16),
            optional("context_library_name", 16),
            optional("context_library_version", 8),
            optional("context_locale", 5),
            FieldSpec.of("context_network_wifi", FieldType.BOOLEAN).optional().nullable(),
            optional("context_os_name", 32),
            optional("context_network_carrier", 16),
            optional("context_timezone", 16),
            optional("context_traits_taxfix_language", 5),
            FieldSpec.string("event").maxLength(32),
            FieldSpec.string("event_text").maxLength(64),
            FieldSpec.string(ORIGINAL_TIMESTAMP).optional().nullable(),
            FieldSpec.string("timestamp"),
            FieldSpec.string("sent_at"),
            FieldSpec.string("received_at"));

    /** The columns of the events table, in DDL order: the order of every row's values. */
    public static final List<String> COLUMNS = List.of("id", "anonymous_id", USER_ID, "context_app_version",
            "context_device_ad_tracking_enabled", "context_device_manufacturer", "context_device_model",
            "context_device_type", "context_library_name", "context_library_version", "context_locale",
            "context_network_wifi", "context_os_name", "context_network_carrier", "context_timezone",
            "context_traits_taxfix_language", "event", "event_text", ORIGINAL_TIMESTAMP, "timestamp", "sent_at",
            "received_at");

    private final StreamedEventRow streamed;
    private final Stage<String, Map<String, JsonNode>> flat;

    /** @param maxLineBytes the longest line accepted as JSON */
    public EventRowParser(int maxLineBytes) {
        Set<String> scalars = new HashSet<>(SCHEMA.fieldNames());
        scalars.add(USER_ID);
        this.streamed = new StreamedEventRow(maxLineBytes);
        this.flat = new JsonObjectParser(maxLineBytes).then(new Flattener(scalars));
    }

    private static FieldSpec optional(String name, int maxLength) {
        return FieldSpec.string(name).optional().nullable().maxLength(maxLength);
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
        FlatRecord record = switch (SCHEMA.apply(fields)) {
            case Outcome.Emit<FlatRecord> emit -> emit.value();
            case Outcome.Reject<FlatRecord> reject -> {
                problems.add(reject.reason());
                yield null;
            }
            case Outcome.Drop<FlatRecord> drop -> null;
        };
        String userId = userId(fields.get(USER_ID), problems);
        List<String> timestamps = new ArrayList<>(4);
        timestamps.add(record == null ? null : originalTimestamp(record, problems));
        for (String field : NAIVE_TIMESTAMPS) {
            timestamps.add(record == null ? null : naiveUtc(field, record.string(field), problems));
        }
        if (!problems.isEmpty()) {
            return Outcome.reject(String.join("; ", problems));
        }
        List<String> values = new ArrayList<>(COLUMNS.size());
        for (String column : COLUMNS) {
            if (column.equals(USER_ID)) {
                values.add(userId);
            } else if (column.equals(ORIGINAL_TIMESTAMP)) {
                values.add(timestamps.get(0));
            } else if (NAIVE_TIMESTAMPS.contains(column)) {
                values.add(timestamps.get(1 + NAIVE_TIMESTAMPS.indexOf(column)));
            } else {
                Object value = record.values().get(column);
                values.add(value == null ? null : value.toString());
            }
        }
        return Outcome.emit(values);
    }

    /** {@code user_id}: absent or null → NULL; a digit string or a JSON integer within INTEGER → its value. */
    private static String userId(JsonNode node, List<String> problems) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        long value;
        if (node.isString()) {
            if (!DIGITS.matcher(node.stringValue()).matches()) {
                problems.add(USER_ID + ": expected a digit string or an integer, got a string with other characters");
                return null;
            }
            if (node.stringValue().length() > 10) {
                problems.add(USER_ID + ": out of range for INTEGER (at most " + Integer.MAX_VALUE + ")");
                return null;
            }
            value = Long.parseLong(node.stringValue());
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else {
            problems.add(USER_ID + ": expected a digit string or an integer, got " + JsonKinds.describe(node));
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            problems.add(USER_ID + ": out of range for INTEGER (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    + ")");
            return null;
        }
        return Long.toString(value);
    }

    private static String originalTimestamp(FlatRecord record, List<String> problems) {
        // Optional: an absent field is not in the record at all, and is stored as NULL like a JSON null.
        String text = record.has(ORIGINAL_TIMESTAMP) ? record.string(ORIGINAL_TIMESTAMP) : null;
        if (text == null) {
            return null;
        }
        try {
            return originalTimestamp(text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static String naiveUtc(String field, String text, List<String> problems) {
        try {
            return naiveUtc(field, text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** {@code original_timestamp} as stored; {@link IllegalArgumentException} naming the field and rule. */
    static String originalTimestamp(String text) {
        // TIMESTAMPTZ: the instant the offset gives (a naive time is UTC), written with Z so the session's time zone
        // cannot change it.
        return TrackingTimestamps.parseInstant(ORIGINAL_TIMESTAMP, text).toString();
    }

    /** A naive UTC column as stored; {@link IllegalArgumentException} naming the field and rule. */
    static String naiveUtc(String field, String text) {
        Instant instant = TrackingTimestamps.parseInstant(field, text);
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
