package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FieldFormat;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.Flattener;
import dev.sluice.core.json.IpAddressFormat;
import dev.sluice.core.json.RecordSchema;
import dev.sluice.core.json.TextFormats;
import dev.sluice.core.json.Timestamps;
import dev.sluice.core.json.VersionNumber;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.json.FlatRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code schema}: the fields a record must have, declared in YAML in order, checked all at once. Nested objects
 * under undeclared names are flattened first ({@code device.type} → {@code device_type}; an object under a declared
 * name is kept whole, so it is rejected as "expected a string, got an object" rather than called missing); JSON
 * values become Java values ({@link FieldType}); undeclared fields are dropped, so an unexpected extra field can
 * neither break a pipeline nor leak unmasked data into a sink. A reject lists every broken rule in field order,
 * naming field and rule, never a value ({@link RecordSchema}). After it the pipeline knows exactly these fields,
 * and the {@code rest} field when one is named: every undeclared top-level member, kept as sent in one JSON object.
 */
public final class Schema implements Processor {

    /** The extra checks a string field can have. */
    public enum Format {
        IP, VERSION, UUID, TIMESTAMP, DIGITS, ENUM
    }

    /**
     * @param fields every field, in order: its name and {@link Field} rules; at least one
     * @param rest   the name of a string field, after the declared ones, holding every top-level member the schema
     *               does not declare as one JSON object, values as sent (numbers keep their digits and scale,
     *               nested objects stay whole); default none: undeclared members are dropped
     */
    public record Settings(Map<String, Field> fields, String rest) {
        public Settings {
            if (fields == null || fields.isEmpty()) {
                throw new IllegalArgumentException("fields must declare at least one field, like"
                        + " fields: {order_id: {type: string, maxLength: 64}}");
            }
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            if (rest != null && (rest.isEmpty() || fields.containsKey(rest))) {
                throw new IllegalArgumentException("rest must name a field that is not declared, was '" + rest + "'");
            }
        }
    }

    /**
     * One declared field.
     *
     * @param type      string, integer, number, boolean, timestamp or date; required
     * @param required  whether the field must be present; default true
     * @param nullable  whether JSON null is accepted; default false
     * @param maxLength the longest string in characters (UTF-16 units); default none; string fields only
     * @param format    ip, version, uuid, timestamp, digits or enum; default none; string fields only
     * @param values    the accepted values of {@code format: enum}; required with it, refused without it
     * @param pattern   a regular expression the whole string must match (Java syntax); default none; string fields
     *                  only. The reject names the pattern, which comes from the config, never the value
     * @param min       the smallest accepted number (inclusive); default none; integer, number and double fields
     * @param maxFuture for a timestamp, or a number of Unix seconds: at most this far ahead of the pipeline's clock
     *                  (producers' clock skew); default none; not negative
     */
    public record Field(FieldType type, Boolean required, Boolean nullable, Integer maxLength, Format format,
                        List<String> values, String pattern, BigDecimal min, Duration maxFuture) {
        public Field {
            if (type == null) {
                throw new IllegalArgumentException("type is required: one of string, integer, number, double, boolean,"
                        + " timestamp, date");
            }
            required = required == null || required;
            nullable = nullable != null && nullable;
            if (maxLength != null && type != FieldType.STRING) {
                throw new IllegalArgumentException("maxLength applies to string fields only, this one is "
                        + type.description());
            }
            if (maxLength != null && maxLength < 1) {
                throw new IllegalArgumentException("maxLength must be at least 1, got " + maxLength);
            }
            if (format != null && type != FieldType.STRING) {
                throw new IllegalArgumentException("format applies to string fields only, this one is "
                        + type.description() + (format == Format.TIMESTAMP ? " (a timestamp field checks its own"
                        + " text: drop the format)" : ""));
            }
            if (format == Format.ENUM && (values == null || values.isEmpty())) {
                throw new IllegalArgumentException("format: enum needs values: the list of accepted values");
            }
            if (format != Format.ENUM && values != null) {
                throw new IllegalArgumentException("values belongs to format: enum only");
            }
            values = values == null ? null : List.copyOf(values);
            if (pattern != null) {
                if (type != FieldType.STRING) {
                    throw new IllegalArgumentException("pattern applies to string fields only, this one is "
                            + type.description());
                }
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("pattern is not a regular expression: "
                            + e.getDescription());
                }
            }
            if (min != null && !numeric(type)) {
                throw new IllegalArgumentException("min applies to integer, number and double fields only, this one"
                        + " is " + type.description());
            }
            if (maxFuture != null && !numeric(type) && type != FieldType.TIMESTAMP) {
                throw new IllegalArgumentException("maxFuture applies to timestamps and numbers of Unix seconds"
                        + " only, this one is " + type.description());
            }
            if (maxFuture != null && maxFuture.isNegative()) {
                throw new IllegalArgumentException("maxFuture must not be negative, was " + maxFuture);
            }
        }

        private static boolean numeric(FieldType type) {
            return type == FieldType.INTEGER || type == FieldType.NUMBER || type == FieldType.DOUBLE;
        }

        /** The checks beyond type and format, on the converted value; null for none. */
        private RecordSchema.ValueCheck valueCheck(Clock clock) {
            List<RecordSchema.ValueCheck> checks = new ArrayList<>();
            if (pattern != null) {
                Pattern whole = Pattern.compile(pattern);
                String rule = "does not match the pattern " + pattern;
                checks.add(value -> whole.matcher((String) value).matches() ? Optional.empty() : Optional.of(rule));
            }
            if (min != null) {
                String rule = min.signum() == 0 ? "must not be negative" : "must be at least " + min.toPlainString();
                checks.add(value -> decimal(value).compareTo(min) < 0 ? Optional.of(rule) : Optional.empty());
            }
            if (maxFuture != null) {
                String rule = "more than " + maxFuture + " in the future";
                checks.add(value -> {
                    Instant latest = clock.instant().plus(maxFuture);
                    boolean ahead = value instanceof OffsetDateTime time ? time.toInstant().isAfter(latest)
                            : decimal(value).compareTo(BigDecimal.valueOf(latest.getEpochSecond())) > 0;
                    return ahead ? Optional.of(rule) : Optional.empty();
                });
            }
            if (checks.isEmpty()) {
                return null;
            }
            return value -> checks.stream().map(check -> check.problem(value)).flatMap(Optional::stream)
                    .findFirst();
        }

        private static BigDecimal decimal(Object number) {
            return switch (number) {
                case BigDecimal exact -> exact;
                case Long whole -> BigDecimal.valueOf(whole);
                default -> new BigDecimal(number.toString());
            };
        }

        FieldSpec spec(String name) {
            FieldSpec spec = new FieldSpec(name, type, required, nullable, maxLength == null ? 0 : maxLength, null);
            return format == null ? spec : spec.format(check());
        }

        private FieldFormat check() {
            return switch (format) {
                case IP -> IpAddressFormat.INSTANCE;
                case VERSION -> VersionNumber.FORMAT;
                case UUID -> TextFormats.IDENTIFIER;
                case TIMESTAMP -> Timestamps.FORMAT;
                case DIGITS -> TextFormats.DIGITS;
                case ENUM -> TextFormats.oneOf(values);
            };
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("schema", Settings.class,
            "declared fields checked and typed; undeclared fields dropped",
            (settings, context) -> new Schema(settings, context.clock()));

    private static final JsonMapper REST = JsonMapper.builder().build();

    private final RecordSchema schema;
    private final Flattener flattener;
    /** The field holding the undeclared members, or null. */
    private final String rest;

    Schema(Settings settings, Clock clock) {
        List<FieldSpec> specs = new ArrayList<>();
        Map<String, RecordSchema.ValueCheck> checks = new HashMap<>();
        settings.fields().forEach((name, field) -> {
            specs.add(field.spec(name));
            RecordSchema.ValueCheck check = field.valueCheck(clock);
            if (check != null) {
                checks.put(name, check);
            }
        });
        this.schema = RecordSchema.of(specs, checks);
        this.flattener = new Flattener(schema.fieldNames());
        this.rest = settings.rest();
    }

    @Override
    public Outcome<Event> apply(Event event) {
        Outcome<Event> checked = Outcomes.then(flattener.flatten(event.record().values()),
                flat -> Outcomes.map(schema.apply(name -> json(flat, name)), event::with));
        if (rest == null || !(checked instanceof Outcome.Emit<Event> emit)) {
            return checked;
        }
        // The members as they came (before flattening): the rest is what the producer sent, whole.
        ObjectNode others = JsonNodeFactory.instance.objectNode();
        Set<String> declared = schema.fieldNames();
        event.record().values().forEach((name, value) -> {
            if (!declared.contains(name)) {
                others.set(name, JsonValues.toJson(value));
            }
        });
        FlatRecord.Builder record = emit.value().record().toBuilder();
        record.set(rest, REST.writeValueAsString(others));
        return Outcome.emit(event.with(record.build()));
    }

    /** The field as JSON, null when absent; only the declared fields are asked for, so only they are converted. */
    private static JsonNode json(Map<String, Object> flat, String name) {
        Object value = flat.get(name);
        return value == null && !flat.containsKey(name) ? null : JsonValues.toJson(value);
    }

    @Override
    public Fields fieldsAfter(Fields before) {
        Fields declared = Fields.of(schema.fields());
        return rest == null ? declared : declared.with(FieldSpec.string(rest));
    }
}
