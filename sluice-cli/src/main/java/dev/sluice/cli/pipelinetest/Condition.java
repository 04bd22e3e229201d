package dev.sluice.cli.pipelinetest;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.KeysetException;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * What a test expects of one value (a field of an emitted record, the reason of a reject or drop): a plain value
 * means equal to it; a mapping of one of {@code equals}, {@code contains}, {@code startsWith}, {@code matches} (the
 * whole text, a Java regular expression) or {@code absent: true} says how. {@link #check} returns what is wrong, in
 * words for the output, or nothing. {@code tokenOf: TEXT} holds for the token the test's keyset makes of that text
 * (an {@code hmac} token equal to it, or an {@code siv} token that unmasks to it), so a test can say what was masked
 * without copying tokens.
 */
sealed interface Condition {

    List<String> KEYS = List.of("equals", "contains", "startsWith", "matches", "tokenOf", "absent");

    /** What is wrong with {@code actual} (null when the field is absent), or empty when it holds. */
    Optional<String> check(JsonNode actual);

    /** True for {@code absent: true}: the one condition an absent field meets. */
    default boolean wantsAbsent() {
        return false;
    }

    record Equals(JsonNode expected) implements Condition {
        @Override
        public Optional<String> check(JsonNode actual) {
            if (actual == null) {
                return Optional.of("expected " + Values.show(expected) + ", but there is no such field");
            }
            return Values.same(expected, actual) ? Optional.empty()
                    : Optional.of("expected " + Values.show(expected) + "\n" + "actual   " + Values.show(actual));
        }
    }

    record Contains(String part) implements Condition {
        @Override
        public Optional<String> check(JsonNode actual) {
            return text(actual, "to contain " + Values.show(Values.json(part)), text -> text.contains(part));
        }
    }

    record StartsWith(String prefix) implements Condition {
        @Override
        public Optional<String> check(JsonNode actual) {
            return text(actual, "to start with " + Values.show(Values.json(prefix)), text -> text.startsWith(prefix));
        }
    }

    record Matches(Pattern pattern) implements Condition {
        @Override
        public Optional<String> check(JsonNode actual) {
            return text(actual, "to match /" + pattern.pattern() + "/", text -> pattern.matcher(text).matches());
        }
    }

    record TokenOf(String original, Keyset keyset) implements Condition {
        @Override
        public Optional<String> check(JsonNode actual) {
            String wanted = "the token of " + Values.show(Values.json(original)) + " under the test's keyset";
            if (actual == null) {
                return Optional.of("expected " + wanted + ", but there is no such field");
            }
            String text = Values.text(actual);
            String problem;
            try {
                if (text.startsWith(MaskMode.HMAC.prefix() + ".")) {
                    problem = new PiiMasker(keyset, MaskMode.HMAC).mask(original).equals(text) ? null
                            : "an hmac token of another value";
                } else {
                    String unmasked = new PiiMasker(keyset, MaskMode.SIV).unmask(text);
                    problem = unmasked.equals(original) ? null
                            : "an siv token of " + Values.show(Values.json(unmasked));
                }
            } catch (IllegalArgumentException | KeysetException notOne) {
                problem = notOne.getMessage();
            }
            return problem == null ? Optional.empty()
                    : Optional.of("expected " + wanted + "\nactual   " + Values.show(actual) + " (" + problem + ")");
        }
    }

    record Absent() implements Condition {
        @Override
        public Optional<String> check(JsonNode actual) {
            return actual == null ? Optional.empty()
                    : Optional.of("expected no such field\nactual   " + Values.show(actual));
        }

        @Override
        public boolean wantsAbsent() {
            return true;
        }
    }

    private static Optional<String> text(JsonNode actual, String wanted, java.util.function.Predicate<String> holds) {
        if (actual == null) {
            return Optional.of("expected " + wanted + ", but there is no such field");
        }
        return holds.test(Values.text(actual)) ? Optional.empty()
                : Optional.of("expected " + wanted + "\nactual   " + Values.show(actual));
    }

    /**
     * The condition written at {@code node}: a mapping whose only key is a condition's, or any other value, which
     * must then be equal.
     */
    static Condition read(ConfigNode node, String inCase, Keyset keyset) {
        List<String> keys = node.keys();
        if (!node.isMapping() || keys.stream().noneMatch(KEYS::contains)) {
            return new Equals(node.value());
        }
        if (keys.size() != 1) {
            throw node.problem(inCase + "write one condition (" + String.join(", ", KEYS) + "), or a whole object"
                    + " value without these keys; found " + String.join(", ", keys));
        }
        String key = keys.getFirst();
        ConfigNode argument = node.at(key);
        return switch (key) {
            case "equals" -> new Equals(argument.value());
            case "contains" -> new Contains(text(argument, inCase));
            case "startsWith" -> new StartsWith(text(argument, inCase));
            case "tokenOf" -> new TokenOf(text(argument, inCase), keyset);
            case "matches" -> {
                try {
                    yield new Matches(Pattern.compile(text(argument, inCase)));
                } catch (PatternSyntaxException e) {
                    throw argument.problem(inCase + "not a regular expression: " + e.getDescription());
                }
            }
            default -> {
                if (!argument.value().isBoolean() || !argument.value().booleanValue()) {
                    throw argument.problem(inCase + "write absent: true (a field that must not be there)");
                }
                yield new Absent();
            }
        };
    }

    private static String text(ConfigNode node, String inCase) throws ConfigException {
        return node.text().orElseThrow(() -> node.problem(inCase + "expected text"));
    }
}
