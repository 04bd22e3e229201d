package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code filter}: keeps the events that match one condition on one field and drops the rest (acknowledged, not
 * written, not an error). Values compare by kind: text with text, numbers by value ({@code 5} equals {@code 5.0}),
 * booleans with booleans; a value of another kind never matches. When the fields are known the field must reach
 * this point, with a type the written values can equal.
 */
public final class Filter implements Processor {

    /**
     * Exactly one of {@code equals}, {@code in}, {@code exists}.
     *
     * @param field  the field the condition reads; required
     * @param equals matches when the field equals this string, number or boolean
     * @param in     matches when the field equals one of these
     * @param exists true: matches when the field is there and not null; false: when it is absent or null
     * @param not    true: keep the events that do not match instead; default false
     */
    public record Settings(String field, Object equals, List<Object> in, Boolean exists, Boolean not) {
        public Settings {
            if (field == null || field.isEmpty()) {
                throw new IllegalArgumentException("field is required: the field the condition reads");
            }
            int conditions = (equals == null ? 0 : 1) + (in == null ? 0 : 1) + (exists == null ? 0 : 1);
            if (conditions != 1) {
                throw new IllegalArgumentException("give exactly one of equals, in, exists (" + conditions
                        + " given)");
            }
            if (equals != null && !isScalar(equals)) {
                throw new IllegalArgumentException("equals must be a string, a number or a boolean");
            }
            if (in != null) {
                if (in.isEmpty()) {
                    throw new IllegalArgumentException("in must list at least one value");
                }
                for (int i = 0; i < in.size(); i++) {
                    if (!isScalar(in.get(i))) {
                        throw new IllegalArgumentException("in[" + i + "] must be a string, a number or a boolean");
                    }
                }
                in = List.copyOf(in);
            }
            not = not != null && not;
        }

        private static boolean isScalar(Object value) {
            return value instanceof String || value instanceof Number || value instanceof Boolean;
        }

        /** The values {@code equals} or {@code in} compare with; empty for {@code exists}. */
        List<Object> values() {
            return equals != null ? List.of(equals) : in == null ? List.of() : in;
        }

        /** The condition as users wrote it: {@code type in [click, view]}. */
        String rule() {
            String condition = equals != null ? field + " equals " + show(equals)
                    : in != null ? field + " in " + in.stream().map(Settings::show).collect(Collectors.joining(", ",
                    "[", "]")) : field + (exists ? " exists" : " does not exist");
            return not ? "not (" + condition + ")" : condition;
        }

        private static String show(Object value) {
            return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("filter", Settings.class,
            "keeps the events whose field matches a condition, drops the rest", (settings, context) -> {
                context.fields().require("field", settings.field(), "filtering on it");
                context.fields().field(settings.field()).ifPresent(field -> {
                    for (Object value : settings.values()) {
                        if (!canEqual(field.type(), value)) {
                            throw new IllegalArgumentException((settings.equals() != null ? "equals" : "in")
                                    + ": field '" + settings.field() + "' is " + field.type().description()
                                    + ", which never equals " + Settings.show(value));
                        }
                    }
                });
                return new Filter(settings);
            });

    private final Settings settings;
    private final List<Object> values;
    private final String dropped;

    Filter(Settings settings) {
        this.settings = settings;
        this.values = settings.values().stream().map(JsonValues::plain).toList();
        this.dropped = "filter: " + settings.rule() + " is false";
    }

    private static boolean canEqual(FieldType type, Object value) {
        return switch (type) {
            case STRING -> value instanceof String;
            case INTEGER, NUMBER, DOUBLE -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
            case TIMESTAMP, DATE -> false;
        };
    }

    @Override
    public Outcome<Event> apply(Event event) {
        boolean present = event.record().has(settings.field());
        Object value = present ? JsonValues.plain(event.record().values().get(settings.field())) : null;
        boolean matches = settings.exists() != null
                ? settings.exists() == (value != null)
                : value != null && values.stream().anyMatch(candidate -> same(candidate, value));
        return matches != settings.not() ? Outcome.emit(event) : Outcome.drop(dropped);
    }

    private static boolean same(Object written, Object value) {
        if (written instanceof BigDecimal a && value instanceof BigDecimal b) {
            return a.compareTo(b) == 0;
        }
        return Objects.equals(written, value);
    }
}
