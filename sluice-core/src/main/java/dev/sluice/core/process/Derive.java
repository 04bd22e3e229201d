package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.VersionNumber;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code derive}: new fields computed from others, in the order written, so a later one may use an earlier one.
 * Each reads one field (or none) and writes {@code field}, replacing a field of that name in place. An input that
 * is null gives null; an absent input leaves the new field absent. Inputs are checked before anything starts when
 * the fields are known (a schema came before): the field must reach this point with the type the derivation needs.
 */
public final class Derive implements Processor {

    /** ISO 8601 in UTC with as many fraction digits as needed: {@code 2026-01-30T18:13:43.383Z}. */
    static final int ISO_CHARS = "2026-01-30T18:13:43.123456789Z".length();

    /**
     * @param derive the new fields, in order; at least one
     */
    public record Settings(List<Derivation> derive) {
        public Settings {
            if (derive == null || derive.isEmpty()) {
                throw new IllegalArgumentException("derive must list at least one new field, like"
                        + " derive: [{field: day, date: created_at}]");
            }
            derive = List.copyOf(derive);
        }
    }

    /**
     * One new field: {@code field} and exactly one way to compute it.
     *
     * @param field          the new field's name; required
     * @param date           a timestamp field: its UTC date (a date)
     * @param hour           a timestamp field: its UTC hour of day, 0 to 23 (an integer)
     * @param iso            a timestamp field: its ISO 8601 text in UTC (a string)
     * @param split          a string field: one part of it, cut at {@code separator} (a string; null when the value
     *                       has fewer parts)
     * @param separator      with {@code split}: the text between parts; default one space; not empty
     * @param part           with {@code split}: which part, from 0; default 0
     * @param version        a string field holding a version: its order-preserving integer ({@link VersionNumber})
     * @param constant       a string, number or boolean, the same for every event
     * @param processingDate true: today's UTC date when the event is processed (a date)
     * @param copy           any field: the same value and type
     */
    public record Derivation(String field, String date, String hour, String iso, String split, String separator,
                             Integer part, String version, Object constant, Boolean processingDate, String copy) {
        public Derivation {
            if (field == null || field.isEmpty()) {
                throw new IllegalArgumentException("field is required: the name of the new field");
            }
            long ways = Stream.of(date, hour, iso, split, version, constant, processingDate, copy)
                    .filter(way -> way != null).count();
            if (ways != 1) {
                throw new IllegalArgumentException(field + ": give exactly one of date, hour, iso, split, version,"
                        + " constant, processingDate, copy (" + (ways == 0 ? "none" : ways) + " given)");
            }
            if (split == null && (separator != null || part != null)) {
                throw new IllegalArgumentException((separator != null ? "separator" : "part")
                        + " belongs to split only");
            }
            if (split != null) {
                separator = separator == null ? " " : separator;
                part = part == null ? 0 : part;
                if (separator.isEmpty()) {
                    throw new IllegalArgumentException("separator must not be empty");
                }
                if (part < 0) {
                    throw new IllegalArgumentException("part must be 0 or more, got " + part);
                }
            }
            if (processingDate != null && !processingDate) {
                throw new IllegalArgumentException("processingDate can only be true (leave it out otherwise)");
            }
            if (constant != null && !(constant instanceof String || constant instanceof Boolean
                    || constant instanceof Number)) {
                throw new IllegalArgumentException("constant must be a string, a number or a boolean");
            }
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("derive", Settings.class,
            "new fields from others: dates, hours, ISO text, split parts, version numbers, constants, copies",
            (settings, context) -> new Derive(settings, context.fields(), context.clock()));

    /** How one new field is computed from the record so far (earlier new fields included). */
    private interface Rule {
        /**
         * The new value (null included), or {@link #ABSENT} to leave the field out.
         *
         * @throws IllegalArgumentException naming the input field and the rule its value breaks
         */
        Object compute(FlatRecord.Builder record);
    }

    /** What a rule gives when its input is absent: the new field is left out too. */
    private static final Object ABSENT = new Object();

    private record Step(String field, Rule rule, FieldSpec spec) {
    }

    private final List<Step> steps = new ArrayList<>();

    Derive(Settings settings, Fields before, Clock clock) {
        Fields fields = before;
        for (int i = 0; i < settings.derive().size(); i++) {
            Step step = step(settings.derive().get(i), "derive[" + i + "].", fields, clock);
            steps.add(step);
            fields = fields.with(step.spec());
        }
    }

    private static Step step(Derivation d, String key, Fields fields, Clock clock) {
        String needs = "deriving " + d.field() + " from it";
        if (d.date() != null) {
            FieldSpec in = input(fields, key + "date", d.date(), FieldType.TIMESTAMP, needs);
            return new Step(d.field(), fromTimestamp(d.date(), ts -> ts.toLocalDate()),
                    like(in, d.field(), FieldType.DATE, 0));
        }
        if (d.hour() != null) {
            FieldSpec in = input(fields, key + "hour", d.hour(), FieldType.TIMESTAMP, needs);
            return new Step(d.field(), fromTimestamp(d.hour(), ts -> (long) ts.getHour()),
                    like(in, d.field(), FieldType.INTEGER, 0));
        }
        if (d.iso() != null) {
            FieldSpec in = input(fields, key + "iso", d.iso(), FieldType.TIMESTAMP, needs);
            return new Step(d.field(), fromTimestamp(d.iso(), ts -> DateTimeFormatter.ISO_INSTANT.format(ts)),
                    like(in, d.field(), FieldType.STRING, ISO_CHARS));
        }
        if (d.split() != null) {
            FieldSpec in = input(fields, key + "split", d.split(), FieldType.STRING, needs);
            Pattern separator = Pattern.compile(d.separator(), Pattern.LITERAL);
            int part = d.part();
            Rule rule = record -> fromString(record, d.split(), "split", text -> {
                String[] parts = separator.split(text, -1);
                return part < parts.length ? parts[part] : null;
            });
            return new Step(d.field(), rule, like(in, d.field(), FieldType.STRING, in.maxLength()).nullable());
        }
        if (d.version() != null) {
            FieldSpec in = input(fields, key + "version", d.version(), FieldType.STRING, needs);
            Rule rule = record -> fromString(record, d.version(), "version", text -> {
                Optional<String> problem = VersionNumber.problem(text);
                if (problem.isPresent()) {
                    throw new IllegalArgumentException(d.version() + ": " + problem.get());
                }
                return (long) VersionNumber.parse(text).encode();
            });
            return new Step(d.field(), rule, like(in, d.field(), FieldType.INTEGER, 0));
        }
        if (d.copy() != null) {
            fields.require(key + "copy", d.copy(), needs);
            FieldSpec in = fields.field(d.copy()).orElse(FieldSpec.string(d.copy()));
            Rule rule = record -> read(record, d.copy());
            return new Step(d.field(), rule, in.named(d.field()));
        }
        if (d.constant() != null) {
            Object value = constant(d.constant());
            FieldType type = switch (value) {
                case String text -> FieldType.STRING;
                case Boolean bool -> FieldType.BOOLEAN;
                case Long number -> FieldType.INTEGER;
                default -> FieldType.NUMBER;
            };
            FieldSpec spec = value instanceof String text && !text.isEmpty()
                    ? FieldSpec.string(d.field()).maxLength(text.length()) : FieldSpec.of(d.field(), type);
            return new Step(d.field(), record -> value, spec);
        }
        return new Step(d.field(), record -> LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                FieldSpec.of(d.field(), FieldType.DATE));
    }

    /** The input's spec when the fields are known, after checking it is there with {@code type}. */
    private static FieldSpec input(Fields fields, String key, String name, FieldType type, String needs) {
        fields.require(key, name, type, needs);
        return fields.field(name).orElse(FieldSpec.of(name, type));
    }

    /** A new field of {@code type}, present and null exactly when its input is. */
    private static FieldSpec like(FieldSpec input, String name, FieldType type, int maxLength) {
        return new FieldSpec(name, type, input.required(), input.nullAllowed(), maxLength, null);
    }

    private static Object constant(Object written) {
        return switch (written) {
            case Integer number -> number.longValue();
            case Long number -> number;
            case Number number -> new BigDecimal(number.toString());
            default -> written;
        };
    }

    /** The input's value (null included), or {@link #ABSENT}. */
    private static Object read(FlatRecord.Builder record, String input) {
        return record.has(input) ? record.get(input) : ABSENT;
    }

    private static Rule fromTimestamp(String input, Function<OffsetDateTime, Object> part) {
        return record -> {
            Object value = read(record, input);
            if (value == ABSENT || value == null) {
                return value;
            }
            if (!(value instanceof OffsetDateTime ts)) {
                throw new IllegalArgumentException(input + ": not a timestamp (declare it with type: timestamp in"
                        + " a schema before derive)");
            }
            return part.apply(ts.withOffsetSameInstant(ZoneOffset.UTC));
        };
    }

    private static Object fromString(FlatRecord.Builder record, String input, String way,
                                     Function<String, Object> part) {
        Object value = read(record, input);
        if (value == ABSENT || value == null) {
            return value;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(input + ": " + way + " needs a string (declare it with type: string"
                    + " in a schema before derive)");
        }
        return part.apply(text);
    }

    @Override
    public Outcome<Event> apply(Event event) {
        // one copy of the record for all the new fields, which later steps read as they are set
        FlatRecord.Builder record = event.record().toBuilder();
        for (Step step : steps) {
            Object value;
            try {
                value = step.rule().compute(record);
            } catch (IllegalArgumentException broken) {
                return Outcome.reject(broken.getMessage() + " (deriving " + step.field() + ")");
            }
            if (value != ABSENT) {
                record.set(step.field(), value);
            }
        }
        return Outcome.emit(event.with(record.build()));
    }

    @Override
    public Fields fieldsAfter(Fields before) {
        Fields after = before;
        for (Step step : steps) {
            after = after.with(step.spec());
        }
        return after;
    }
}
