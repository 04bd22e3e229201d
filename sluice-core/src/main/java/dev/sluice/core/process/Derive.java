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
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
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
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final BigDecimal MIN_SECONDS = BigDecimal.valueOf(Instant.parse("0001-01-01T00:00:00Z")
            .getEpochSecond());
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Instant.parse("9999-12-31T23:59:59Z")
            .getEpochSecond());

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
     * @param iso            a timestamp field: its ISO 8601 text in UTC (a string); or a number field of Unix
     *                       seconds, whose fraction is written exactly as sent ({@code 1700000000.50} →
     *                       {@code 2023-11-14T22:13:20.50Z}, {@code 1700000000} → {@code 2023-11-14T22:13:20Z})
     * @param time           a timestamp, date or number (Unix seconds) field: its UTC time written with
     *                       {@code pattern} (a string)
     * @param pattern        with {@code time}, required: a date-time pattern ({@code yyyy}, {@code MM},
     *                       {@code dd}, {@code HH}: zero-padded), as {@link DateTimeFormatter#ofPattern}
     * @param split          a string field: one part of it, cut at {@code separator} (a string; null when the value
     *                       has fewer parts)
     * @param separator      with {@code split}: the text between parts; default one space; not empty
     * @param part           with {@code split}: which part, from 0; default 0
     * @param version        a string field holding a version: its order-preserving integer ({@link VersionNumber})
     * @param constant       a string, number or boolean, the same for every event
     * @param processingDate true: today's UTC date when the event is processed (a date)
     * @param copy           any field: the same value and type
     * @param toDouble       a number or integer field: the nearest 64-bit float (a double), for readers that
     *                       want floating point
     */
    public record Derivation(String field, String date, String hour, String iso, String split, String separator,
                             Integer part, String version, Object constant, Boolean processingDate, String copy,
                             String time, String pattern, String toDouble) {
        public Derivation {
            if (field == null || field.isEmpty()) {
                throw new IllegalArgumentException("field is required: the name of the new field");
            }
            long ways = Stream.of(date, hour, iso, split, version, constant, processingDate, copy, time, toDouble)
                    .filter(way -> way != null).count();
            if (ways != 1) {
                throw new IllegalArgumentException(field + ": give exactly one of date, hour, iso, split, version,"
                        + " constant, processingDate, copy, time, toDouble (" + (ways == 0 ? "none" : ways)
                        + " given)");
            }
            if ((time == null) != (pattern == null)) {
                throw new IllegalArgumentException(time == null ? "pattern belongs to time only"
                        : "time needs a pattern, like pattern: yyyy");
            }
            if (pattern != null) {
                try {
                    DateTimeFormatter.ofPattern(pattern);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("pattern is not a date-time pattern: " + e.getMessage());
                }
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
            FieldSpec in = input(fields, key + "iso", d.iso(), needs, FieldType.TIMESTAMP, FieldType.NUMBER,
                    FieldType.INTEGER, FieldType.DOUBLE);
            return new Step(d.field(), fromTime(d.iso(), "iso", Derive::isoAsSent,
                    ts -> DateTimeFormatter.ISO_INSTANT.format(ts)),
                    like(in, d.field(), FieldType.STRING, in.type() == FieldType.TIMESTAMP ? ISO_CHARS : 0));
        }
        if (d.time() != null) {
            FieldSpec in = input(fields, key + "time", d.time(), needs, FieldType.TIMESTAMP, FieldType.DATE,
                    FieldType.NUMBER, FieldType.INTEGER, FieldType.DOUBLE);
            DateTimeFormatter pattern = DateTimeFormatter.ofPattern(d.pattern()).withZone(ZoneOffset.UTC);
            return new Step(d.field(), fromTime(d.time(), "time", seconds -> pattern.format(instant(seconds)),
                    pattern::format), like(in, d.field(), FieldType.STRING, 0));
        }
        if (d.toDouble() != null) {
            FieldSpec in = input(fields, key + "toDouble", d.toDouble(), needs, FieldType.NUMBER, FieldType.INTEGER,
                    FieldType.DOUBLE);
            Rule rule = record -> {
                Object value = read(record, d.toDouble());
                return switch (value) {
                    case BigDecimal exact -> exact.doubleValue();
                    case Long whole -> whole.doubleValue();
                    case Double already -> already;
                    case null -> null;
                    default -> {
                        if (value == ABSENT) {
                            yield ABSENT;
                        }
                        throw new IllegalArgumentException(d.toDouble() + ": toDouble needs a number (declare it"
                                + " with type: number in a schema before derive)");
                    }
                };
            };
            return new Step(d.field(), rule, like(in, d.field(), FieldType.DOUBLE, 0));
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

    /** The input's spec when the fields are known, after checking it is there with one of {@code types}. */
    private static FieldSpec input(Fields fields, String key, String name, String needs, FieldType... types) {
        fields.require(key, name, needs);
        Optional<FieldSpec> spec = fields.field(name);
        if (spec.isPresent() && !List.of(types).contains(spec.get().type())) {
            throw new IllegalArgumentException(key + ": field '" + name + "' is " + spec.get().type().description()
                    + ", but " + needs + " needs one of " + Stream.of(types).map(t -> t.name().toLowerCase(
                    java.util.Locale.ROOT)).distinct().reduce((a, b) -> a + ", " + b).orElseThrow());
        }
        return spec.orElse(FieldSpec.of(name, types[0]));
    }

    /** Unix seconds, whole seconds formatted and the fraction exactly as written: {@code 1.50} → {@code …01.50Z}. */
    static String isoAsSent(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        String fraction = seconds.subtract(whole).toPlainString();
        int point = fraction.indexOf('.');
        return SECONDS.format(instant(whole)) + (point < 0 ? "" : fraction.substring(point)) + "Z";
    }

    /** Unix seconds as an instant (the fraction to the nanosecond). */
    private static Instant instant(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        if (whole.compareTo(MIN_SECONDS) < 0 || whole.compareTo(MAX_SECONDS) > 0) {
            throw new IllegalArgumentException("needs Unix seconds within years 0001 to 9999");
        }
        long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    /**
     * A rule reading a timestamp or date (as {@code ofTime}) or a number of Unix seconds (as {@code ofSeconds},
     * exact as sent).
     */
    private static Rule fromTime(String input, String way, Function<BigDecimal, Object> ofSeconds,
                                 Function<TemporalAccessor, Object> ofTime) {
        return record -> {
            Object value = read(record, input);
            try {
                return switch (value) {
                    case null -> null;
                    case OffsetDateTime ts -> ofTime.apply(ts.withOffsetSameInstant(ZoneOffset.UTC));
                    case LocalDate day -> ofTime.apply(day);
                    case BigDecimal seconds -> ofSeconds.apply(seconds);
                    case Long seconds -> ofSeconds.apply(BigDecimal.valueOf(seconds));
                    case Double seconds -> ofSeconds.apply(new BigDecimal(seconds.toString()));
                    default -> {
                        if (value == ABSENT) {
                            yield ABSENT;
                        }
                        throw new IllegalArgumentException("needs a timestamp or a number of Unix seconds (declare"
                                + " it in a schema before derive)");
                    }
                };
            } catch (IllegalArgumentException | DateTimeException broken) {
                throw new IllegalArgumentException(input + ": " + way + " " + broken.getMessage(), broken);
            }
        };
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
