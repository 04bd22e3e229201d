package dev.sluice.cli.pipelinetest;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What one input must become: a record the sink would get ({@code emit}: every field it holds, each a value or a
 * {@link Condition}; with {@code partial: true} only those written), a drop ({@code drop}) or a reject
 * ({@code reject}), each with an optional reason: a text means exactly that reason, a condition says how it must
 * read, {@code true} any reason.
 */
sealed interface Expected {

    /** What is wrong with {@code outcome}, one entry per problem, or none. */
    List<String> check(Outcome<Event> outcome);

    record Emit(Map<String, Condition> fields, Map<String, ConfigNode> written, boolean partial) implements Expected {

        /** A field's name, or a path into a field that holds a list or an object: {@code objects[0].key}. */
        private static final Pattern SEGMENT = Pattern.compile("\\.?([^.\\[\\]]+)|\\[(\\d+)]");

        @Override
        public List<String> check(Outcome<Event> outcome) {
            if (!(outcome instanceof Outcome.Emit<Event> emit)) {
                return List.of("expected a record for the sink, got " + describe(outcome));
            }
            Map<String, Object> record = emit.value().record().values();
            List<String> problems = new ArrayList<>();
            fields.forEach((name, condition) -> condition.check(find(record, name))
                    .ifPresent(problem -> problems.add(name + ": " + problem)));
            if (!partial) {
                Set<String> listed = new HashSet<>();
                fields.keySet().forEach(name -> listed.add(record.containsKey(name) ? name : fieldOf(name)));
                record.forEach((name, value) -> {
                    if (!listed.contains(name)) {
                        problems.add(name + ": not expected\nactual   " + Values.show(Values.json(value))
                                + "\n(list every field the sink gets, or write partial: true)");
                    }
                });
            }
            return problems;
        }

        /** The field a path starts with ({@code objects} of {@code objects[0].key}), or the name itself. */
        private static String fieldOf(String name) {
            Matcher segment = SEGMENT.matcher(name);
            return segment.lookingAt() && segment.group(1) != null ? segment.group(1) : name;
        }

        /** The value at {@code name}, or null when the record has none there. */
        static JsonNode find(Map<String, Object> record, String name) {
            if (record.containsKey(name)) {
                return Values.json(record.get(name));
            }
            Matcher segment = SEGMENT.matcher(name);
            if (!segment.lookingAt() || segment.group(1) == null || !record.containsKey(segment.group(1))) {
                return null;
            }
            JsonNode at = Values.json(record.get(segment.group(1)));
            int end = segment.end();
            while (end < name.length()) {
                segment.region(end, name.length());
                if (!segment.lookingAt()) {
                    return null;
                }
                at = segment.group(1) != null ? at.get(segment.group(1)) : at.get(Integer.parseInt(segment.group(2)));
                if (at == null) {
                    return null;
                }
                end = segment.end();
            }
            return at;
        }

        /**
         * A field the pipeline's fields say never reaches the sink is an error in the test, not a failed run: it
         * points at the line that names it.
         */
        void checkAgainst(Fields known, String pipeline, String inCase) {
            if (!known.isKnown()) {
                return;
            }
            fields.forEach((name, condition) -> {
                String field = known.field(name).isPresent() ? name : fieldOf(name);
                if (!condition.wantsAbsent() && known.field(field).isEmpty()) {
                    throw written.get(name).problem(inCase + "pipeline " + pipeline + " never emits field '" + field
                            + "' (its records hold " + String.join(", ", known.all().stream()
                            .map(spec -> spec.name()).toList()) + ")");
                }
            });
        }
    }

    record Drop(Optional<Condition> reason) implements Expected {
        @Override
        public List<String> check(Outcome<Event> outcome) {
            return outcome instanceof Outcome.Drop<Event> drop ? checkReason("drop", reason, drop.why())
                    : List.of("expected a drop, got " + describe(outcome));
        }
    }

    record Reject(Optional<Condition> reason) implements Expected {
        @Override
        public List<String> check(Outcome<Event> outcome) {
            return outcome instanceof Outcome.Reject<Event> reject ? checkReason("reject", reason, reject.reason())
                    : List.of("expected a reject, got " + describe(outcome));
        }
    }

    /** What is wrong with the reason of a drop or reject, when the test says how it must read. */
    private static List<String> checkReason(String kind, Optional<Condition> expected, String actual) {
        return expected.flatMap(condition -> condition.check(Values.json(actual)))
                .map(problem -> List.of(kind + " reason: " + problem)).orElse(List.of());
    }

    static String describe(Outcome<Event> outcome) {
        return switch (outcome) {
            case Outcome.Emit<Event> emit -> "a record for the sink: " + Values.show(Values.json(
                    emit.value().record().values()));
            case Outcome.Drop<Event> drop -> "a drop: " + drop.why();
            case Outcome.Reject<Event> reject -> "a reject: " + reject.reason();
        };
    }

    static Expected read(ConfigNode node, String inCase, Keyset keyset) {
        List<String> kinds = node.keys().stream().filter(List.of("emit", "drop", "reject")::contains).toList();
        if (!node.isMapping() || kinds.size() != 1) {
            throw node.problem(inCase + "expected one of emit (the record the sink gets), drop or reject");
        }
        String kind = kinds.getFirst();
        for (String key : node.keys()) {
            if (!key.equals(kind) && !(kind.equals("emit") && key.equals("partial"))) {
                throw node.at(key).problem(inCase + "unknown key '" + key + "' beside " + kind
                        + (kind.equals("emit") ? " (known: partial)" : ""));
            }
        }
        ConfigNode value = node.at(kind);
        if (kind.equals("emit")) {
            if (!value.isMapping()) {
                throw value.problem(inCase + "expected the record's fields, each a value or a condition ("
                        + String.join(", ", Condition.KEYS) + ")");
            }
            ConfigNode partial = node.at("partial");
            if (!partial.isMissing() && !partial.value().isBoolean()) {
                throw partial.problem(inCase + "expected true or false");
            }
            Map<String, Condition> fields = new LinkedHashMap<>();
            Map<String, ConfigNode> written = new LinkedHashMap<>();
            for (String field : value.keys()) {
                fields.put(field, Condition.read(value.at(field), inCase, keyset));
                written.put(field, value.at(field));
            }
            return new Emit(fields, written, !partial.isMissing() && partial.value().booleanValue());
        }
        Optional<Condition> reason = value.value().isBoolean() && value.value().booleanValue() ? Optional.empty()
                : Optional.of(reason(value, inCase, keyset));
        return kind.equals("drop") ? new Drop(reason) : new Reject(reason);
    }

    private static Condition reason(ConfigNode node, String inCase, Keyset keyset) {
        if (node.text().isEmpty() && !node.isMapping()) {
            throw node.problem(inCase + "expected the reason (its text, or a condition such as {contains: …}), or"
                    + " true for any reason");
        }
        return Condition.read(node, inCase, keyset);
    }
}
