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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code schema}: the fields a record must have, declared in YAML in order, checked all at once. Nested objects
 * under undeclared names are flattened first ({@code device.type} → {@code device_type}; an object under a declared
 * name is kept whole, so it is rejected as "expected a string, got an object" rather than called missing); JSON
 * values become Java values ({@link FieldType}); undeclared fields are dropped, so an unexpected extra field can
 * neither break a pipeline nor leak unmasked data into a sink. A reject lists every broken rule in field order,
 * naming field and rule, never a value ({@link RecordSchema}). After it the pipeline knows exactly these fields.
 */
public final class Schema implements Processor {

    /** The extra checks a string field can have. */
    public enum Format {
        IP, VERSION, UUID, TIMESTAMP, DIGITS, ENUM
    }

    /**
     * @param fields every field, in order: its name and {@link Field} rules; at least one
     */
    public record Settings(Map<String, Field> fields) {
        public Settings {
            if (fields == null || fields.isEmpty()) {
                throw new IllegalArgumentException("fields must declare at least one field, like"
                        + " fields: {order_id: {type: string, maxLength: 64}}");
            }
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
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
     */
    public record Field(FieldType type, Boolean required, Boolean nullable, Integer maxLength, Format format,
                        List<String> values) {
        public Field {
            if (type == null) {
                throw new IllegalArgumentException("type is required: one of string, integer, number, boolean,"
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
            (settings, context) -> new Schema(settings));

    private final RecordSchema schema;
    private final Flattener flattener;

    Schema(Settings settings) {
        List<FieldSpec> specs = new ArrayList<>();
        settings.fields().forEach((name, field) -> specs.add(field.spec(name)));
        this.schema = RecordSchema.of(specs);
        this.flattener = new Flattener(schema.fieldNames());
    }

    @Override
    public Outcome<Event> apply(Event event) {
        return Outcomes.then(flattener.flatten(event.record().values()),
                flat -> Outcomes.map(schema.apply(name -> json(flat, name)), event::with));
    }

    /** The field as JSON, null when absent; only the declared fields are asked for, so only they are converted. */
    private static JsonNode json(Map<String, Object> flat, String name) {
        Object value = flat.get(name);
        return value == null && !flat.containsKey(name) ? null : JsonValues.toJson(value);
    }

    @Override
    public Fields fieldsAfter(Fields before) {
        return Fields.of(schema.fields());
    }
}
