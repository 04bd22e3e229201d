package dev.sluice.core.json;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The fields a flat record must have, checked all at once: a reject lists every broken rule in field order, joined
 * with {@code "; "}, so one error row tells the whole story ("user_id: required field is missing; ip: not an IPv4
 * or IPv6 address"). Reasons name the field and the rule, never the value.
 *
 * <p>Fields the schema does not declare are ignored: neither checked nor passed on, so an unexpected extra field
 * can neither break a pipeline nor leak unmasked data into a sink.
 *
 * <pre>{@code
 * RecordSchema logins = RecordSchema.of(
 *         FieldSpec.string("user_id").maxLength(128),
 *         FieldSpec.string("app_version").format(VersionNumber.FORMAT),
 *         FieldSpec.string("ip").format(IpAddressFormat.INSTANCE),
 *         FieldSpec.string("locale").nullable().maxLength(32));
 * Outcome<FlatRecord> outcome = logins.apply(flatFields);
 * }</pre>
 */
public final class RecordSchema implements Stage<Map<String, JsonNode>, FlatRecord> {

    private final List<FieldSpec> fields;
    /** Checks of a field's converted value (a bound on a number), by field name. */
    private final Map<String, ValueCheck> checks;

    /** A rule on a field's converted value beyond its type, such as "not negative". */
    @FunctionalInterface
    public interface ValueCheck {
        /** The rule {@code value} breaks, worded without the value; empty when it is fine. */
        Optional<String> problem(Object value);
    }

    private RecordSchema(List<FieldSpec> fields, Map<String, ValueCheck> checks) {
        Set<String> names = new LinkedHashSet<>();
        for (FieldSpec field : fields) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("field " + field.name() + " is declared twice");
            }
        }
        for (String name : checks.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("a check of field " + name + ", which is not declared");
            }
        }
        this.fields = List.copyOf(fields);
        this.checks = Map.copyOf(checks);
    }

    public static RecordSchema of(FieldSpec... fields) {
        return new RecordSchema(List.of(fields), Map.of());
    }

    public static RecordSchema of(List<FieldSpec> fields) {
        return new RecordSchema(fields, Map.of());
    }

    /** With checks of converted values, by field name; each runs only on a value of the right type. */
    public static RecordSchema of(List<FieldSpec> fields, Map<String, ValueCheck> checks) {
        return new RecordSchema(fields, checks);
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    /** The declared field names: a {@link Flattener} keeps objects under these names whole. */
    public Set<String> fieldNames() {
        return fields().stream().map(FieldSpec::name).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Outcome<FlatRecord> apply(Map<String, JsonNode> flat) {
        return apply(flat::get);
    }

    /**
     * As {@link #apply(Map)}, with each declared field's JSON value looked up by name (null when absent): a caller
     * whose values are not all JSON converts the declared ones only, without building a map of them.
     */
    public Outcome<FlatRecord> apply(Function<String, JsonNode> valueOf) {
        FlatRecord.Builder values = FlatRecord.builder();
        List<String> problems = new ArrayList<>();
        for (FieldSpec field : fields) {
            JsonNode node = valueOf.apply(field.name());
            if (node == null || node.isMissingNode()) {
                if (field.required()) {
                    problems.add(field.name() + ": required field is missing");
                }
                continue;
            }
            if (node.isNull()) {
                if (field.nullAllowed()) {
                    values.set(field.name(), null);
                } else {
                    problems.add(field.name() + ": must not be null");
                }
                continue;
            }
            Object value = convert(field, node, problems);
            ValueCheck check = value == null ? null : checks.get(field.name());
            Optional<String> broken = check == null ? Optional.empty() : check.problem(value);
            if (broken.isPresent()) {
                problems.add(field.name() + ": " + broken.get());
            } else if (value != null) {
                values.set(field.name(), value);
            }
        }
        if (!problems.isEmpty()) {
            return Outcome.reject(String.join("; ", problems));
        }
        return Outcome.emit(values.build());
    }

    /** The Java value of {@code node}, or null after adding the broken rule to {@code problems}. */
    private static Object convert(FieldSpec field, JsonNode node, List<String> problems) {
        String name = field.name();
        return switch (field.type()) {
            case STRING -> {
                if (!node.isString()) {
                    yield wrongType(field, node, problems);
                }
                String text = node.stringValue();
                if (field.maxLength() > 0 && text.length() > field.maxLength()) {
                    problems.add(name + ": longer than " + field.maxLength() + " characters");
                    yield null;
                }
                Optional<String> problem = field.formatCheck().flatMap(format -> format.problem(text));
                if (problem.isPresent()) {
                    problems.add(name + ": " + problem.get());
                    yield null;
                }
                yield text;
            }
            case INTEGER -> {
                if (!node.isIntegralNumber()) {
                    yield wrongType(field, node, problems);
                }
                if (!node.canConvertToLong()) {
                    problems.add(name + ": integer out of range (more than 64 bits)");
                    yield null;
                }
                yield node.longValue();
            }
            case NUMBER -> node.isNumber() ? node.decimalValue() : wrongType(field, node, problems);
            case DOUBLE -> {
                if (!node.isNumber()) {
                    yield wrongType(field, node, problems);
                }
                // through the exact decimal, as sent: the nearest double to what the producer wrote
                double number = node.decimalValue().doubleValue();
                if (!Double.isFinite(number)) {
                    problems.add(name + ": a number too large for a double");
                    yield null;
                }
                yield number;
            }
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : wrongType(field, node, problems);
            case TIMESTAMP -> {
                if (node.isString()) {
                    yield orProblem(name, Timestamps.parse(node.stringValue()),
                            () -> Timestamps.problem(node.stringValue()).orElseThrow(), problems);
                }
                if (node.isIntegralNumber()) {
                    yield orProblem(name, node.canConvertToLong() ? Timestamps.ofEpochMillis(node.longValue())
                            : Optional.empty(), () -> Timestamps.RANGE_RULE, problems);
                }
                yield wrongType(field, node, problems);
            }
            case DATE -> node.isString()
                    ? orProblem(name, Timestamps.parseDate(node.stringValue()), () -> Timestamps.DATE_RULE, problems)
                    : wrongType(field, node, problems);
        };
    }

    /** The value, or null after adding the rule it broke to {@code problems}. */
    private static Object orProblem(String name, Optional<?> value, Supplier<String> rule, List<String> problems) {
        if (value.isEmpty()) {
            problems.add(name + ": " + rule.get());
            return null;
        }
        return value.get();
    }

    private static Object wrongType(FieldSpec field, JsonNode node, List<String> problems) {
        boolean integral = field.type() == FieldType.INTEGER || field.type() == FieldType.TIMESTAMP;
        String got = node.isNumber() && integral ? "a decimal number" : JsonKinds.describe(node);
        String expected = field.type() == FieldType.TIMESTAMP
                ? "a timestamp (ISO 8601 text or an integer of epoch milliseconds)" : field.type().description();
        problems.add(field.name() + ": expected " + expected + ", got " + got);
        return null;
    }
}
