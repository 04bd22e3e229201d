package dev.sluice.core.config;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a YAML config file into a Java record, strictly: unknown keys, wrong types and invalid values are errors
 * that point at the file, line, column and key path, because a typo in a pipeline config should stop the start, not
 * silently run with a default.
 *
 * <p><b>Environment variables:</b> {@code ${VAR}} and {@code ${VAR:-default}} are replaced before parsing, line by
 * line, so line numbers stay those of the file (columns after a substitution on the same line may shift). A
 * variable that is unset (or empty, for the {@code :-} form) without a default is an error naming it. {@code $${}
 * writes a literal {@code ${}. Lines that are only a comment are left alone. Values are inserted as text, so a
 * value can be quoted in the YAML ({@code password: "${DB_PASSWORD}"}) to keep it a string; values with line
 * breaks are refused because they would move every following line.
 *
 * <p><b>Types:</b> records (validation in their compact constructors: an {@link IllegalArgumentException} there is
 * reported at the line and key path of the field its message starts with, e.g. {@code waitTime must be …}, or of
 * the record when no such field is written), lists, maps, enums (case-insensitive), numbers, strings, booleans
 * and {@link Duration} ({@code 20s}, {@code 500ms}, {@code 5m}, {@code 2h}, {@code 1d} or ISO {@code PT20S}).
 * Decimals are not truncated into integer fields, and {@code 1} is not a boolean. Keys missing from the file become
 * null (or 0/false for primitives): give defaults in the compact constructor.
 *
 * <pre>{@code
 * record Settings(String queue, Integer batchSize, Duration pollWait) {
 *     Settings {
 *         if (batchSize == null) batchSize = 10;
 *         if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
 *     }
 * }
 * Settings settings = ConfigLoader.withSystemEnvironment().load(Path.of("sluice.yaml"), Settings.class);
 * }</pre>
 */
public final class ConfigLoader {

    private static final int LONGEST_QUOTED_VALUE = 60;
    /**
     * The field a constructor's rule names first: "waitTime must be …", "table: …", "columns.email: …",
     * "derive[1].date: …" (a list element's key).
     */
    private static final Pattern LEADING_FIELD = Pattern.compile(
            "^([A-Za-z][A-Za-z0-9_]*(?:\\[\\d+])*(?:\\.[A-Za-z0-9_]+(?:\\[\\d+])*)*)"
                    + "(?![A-Za-z0-9_\\[]|\\.[A-Za-z0-9_])");
    private static final Pattern FIELD_SEGMENT = Pattern.compile("[A-Za-z0-9_]+|\\[(\\d+)]");
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate .*\"(.*)\"");

    private final Map<String, String> environment;
    private final YAMLMapper mapper;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.mapper = YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .withCoercionConfig(LogicalType.Boolean,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .addModule(new SimpleModule("sluice-config").addDeserializer(Duration.class, new DurationDeserializer()))
                .build();
    }

    /** A loader substituting from this process's environment. */
    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    /** Reads {@code file} into {@code type}; errors name the file as given. */
    public <T> T load(Path file, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return read(file).root().bind(type);
    }

    /** Reads YAML {@code text} into {@code type}; {@code source} names it in errors (usually the file name). */
    public <T> T load(String source, String text, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return read(source, text).root().bind(type);
    }

    /**
     * Reads {@code file} as a tree that keeps where each key is written, to merge with others ({@link ConfigTree#merge})
     * and bind part by part ({@link ConfigNode#bind}); errors name the file as given.
     */
    public ConfigTree read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, 0, "", "cannot read the file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        return read(file.toString(), text);
    }

    /** Reads YAML {@code text} as a tree; {@code source} names it in errors. */
    public ConfigTree read(String source, String text) {
        String yaml = substitute(source, text);
        if (isEmpty(yaml)) {
            throw new ConfigException(source, 0, 0, "", "the file is empty; expected a mapping of settings", null);
        }
        Map<String, ConfigTree.Location> locations = scan(source, yaml);
        JsonNode root;
        try {
            root = mapper.readTree(yaml);
        } catch (JacksonException e) {
            throw syntaxProblem(source, e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(source, 0, 0, "", "the file holds no settings; expected a mapping", null);
        }
        return new ConfigTree(this, source, root, locations);
    }

    /** Binds {@code node} (found at {@code path} of {@code tree}) into {@code type}, strictly. */
    <T> T bind(ConfigTree tree, ConfigPath path, JsonNode node, Class<T> type) {
        try {
            T value = mapper.treeToValue(node, type);
            if (value == null) {
                throw tree.problem(path, "holds no settings; expected a mapping", null);
            }
            return value;
        } catch (JacksonException e) {
            throw explain(tree, path, e);
        }
    }

    /**
     * Like {@link #bind}, reporting to {@code problems}: every unknown key is reported and left out, and the value is
     * bound again, so a part with three typos shows three errors; any other error ends the binding (a wrong value
     * left out could only make the record's rules say something untrue). Empty when any problem was found.
     */
    <T> Optional<T> bind(ConfigTree tree, ConfigPath path, JsonNode node, Class<T> type,
                                   ConfigProblems problems) {
        JsonNode current = node;
        boolean clean = true;
        // each round removes one key, so the number of keys written bounds the rounds
        for (int round = 0; ; round++) {
            try {
                T value = bind(tree, path, current, type);
                return clean ? Optional.of(value) : Optional.empty();
            } catch (ConfigException e) {
                problems.report(e);
                clean = false;
                if (!(e.getCause() instanceof UnrecognizedPropertyException unknown) || round > 1000
                        || (current = withoutKey(current, unknown.getPath())) == null) {
                    return Optional.empty();
                }
            }
        }
    }

    /** A copy of {@code node} without the key at the end of {@code references}; null when it is not there. */
    private static JsonNode withoutKey(JsonNode node, List<JacksonException.Reference> references) {
        if (references.isEmpty()) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        JsonNode holder = copy;
        for (JacksonException.Reference reference : references.subList(0, references.size() - 1)) {
            holder = reference.getPropertyName() != null ? holder.get(reference.getPropertyName())
                    : holder.get(reference.getIndex());
            if (holder == null) {
                return null;
            }
        }
        String key = references.getLast().getPropertyName();
        if (!(holder instanceof tools.jackson.databind.node.ObjectNode object) || key == null || !object.has(key)) {
            return null;
        }
        object.remove(key);
        return copy;
    }

    /** Where each key of {@code yaml} is written, by JSON pointer; a duplicate key or broken YAML is an error here. */
    private Map<String, ConfigTree.Location> scan(String source, String yaml) {
        Map<String, ConfigTree.Location> keys = new HashMap<>();
        try (JsonParser parser = mapper.createParser(yaml)) {
            try {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
                        TokenStreamLocation at = parser.currentTokenLocation();
                        keys.putIfAbsent(parser.streamReadContext().pathAsPointer().toString(),
                                new ConfigTree.Location(source, at.getLineNr(), at.getColumnNr()));
                    }
                }
            } catch (StreamReadException e) {
                if (e.getCause() instanceof MarkedYamlEngineException) {
                    throw syntaxProblem(source, e);
                }
                throw readProblem(source, parentKeyPath(parser.streamReadContext().pathAsPointer().toString()), e);
            }
        }
        return keys;
    }

    /** The dotted key path of the mapping that holds the key at {@code pointer}. */
    private static String parentKeyPath(String pointer) {
        int last = pointer.lastIndexOf('/');
        return last <= 0 ? "" : ConfigPath.ofPointer(pointer.substring(0, last)).keyPath();
    }

    private static ConfigException syntaxProblem(String source, JacksonException e) {
        if (e.getCause() instanceof MarkedYamlEngineException syntax) {
            // snakeyaml's problem mark is where the YAML stopped making sense; Jackson's location lags behind it
            Mark mark = syntax.getProblemMark().or(syntax::getContextMark).orElse(null);
            return new ConfigException(source, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "", "not valid YAML: " + syntax.getProblem(), e);
        }
        TokenStreamLocation at = e.getLocation();
        return new ConfigException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), "",
                "not valid YAML: " + firstLine(e.getOriginalMessage()), e);
    }

    // ---- ${VAR} substitution ------------------------------------------------------------------------------------

    private String substitute(String source, String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].stripLeading().startsWith("#") && lines[i].contains("$")) {
                lines[i] = substituteLine(source, i + 1, lines[i]);
            }
        }
        return String.join("\n", lines);
    }

    private String substituteLine(String source, int lineNumber, String line) {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            if (line.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (line.startsWith("${", i)) {
                int end = line.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException(source, lineNumber, i + 1, "", "unclosed ${ (write $${ for a literal ${)",
                            null);
                }
                String value = resolve(source, lineNumber, i + 1, line.substring(i + 2, end));
                boolean wholeScalar = isValueStart(out) && line.substring(end + 1).isBlank();
                out.append(wholeScalar && changesYamlMeaning(value) ? doubleQuoted(value) : value);
                i = end + 1;
            } else {
                out.append(line.charAt(i++));
            }
        }
        return out.toString();
    }

    /** True when what precedes a placeholder ends a mapping key ({@code key: }) or a list dash ({@code - }). */
    private static boolean isValueStart(StringBuilder before) {
        String b = before.toString().stripTrailing();
        return b.endsWith(":") || b.equals("-") || b.endsWith(" -");
    }

    /**
     * A substituted secret such as {@code p #word} or {@code "quoted} would otherwise become a comment, a quoted
     * string or a flow collection. Plain values (numbers, durations, URLs) stay unquoted so they keep their type.
     */
    private static boolean changesYamlMeaning(String value) {
        if (value.isEmpty()) {
            return false;
        }
        return value.contains("#") || value.contains(": ") || value.endsWith(":") || value.startsWith("- ")
                || value.equals("-") || "?:,[]{}&*!|>'\"%@`".indexOf(value.charAt(0)) >= 0
                || !value.strip().equals(value);
    }

    private static String doubleQuoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private String resolve(String source, int lineNumber, int column, String expression) {
        int split = expression.indexOf(":-");
        String name = split < 0 ? expression : expression.substring(0, split);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(source, lineNumber, column, "", "'${" + expression
                    + "}' is not a variable reference (expected ${NAME} or ${NAME:-default})", null);
        }
        String value = environment.get(name);
        if (split >= 0 && (value == null || value.isEmpty())) {
            value = expression.substring(split + 2);
        }
        if (value == null) {
            throw new ConfigException(source, lineNumber, column, "", "environment variable " + name
                    + " is not set and ${" + name + "} has no default (write ${" + name + ":-default} to give one)",
                    null);
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new ConfigException(source, lineNumber, column, "", "environment variable " + name
                    + " contains a line break, which a one-line substitution cannot hold", null);
        }
        return value;
    }

    private static boolean isEmpty(String yaml) {
        return yaml.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#")
                || line.equals("---") || line.equals("..."));
    }

    // ---- error messages -----------------------------------------------------------------------------------------

    private ConfigException explain(ConfigTree tree, ConfigPath base, JacksonException e) {
        ConfigPath path = base.plus(e.getPath());
        String keyPath = path.keyPath();
        return switch (e) {
            case UnrecognizedPropertyException unknown -> {
                String parent = path.parent().keyPath();
                String known = unknown.getKnownPropertyIds() == null ? "" : " (known: "
                        + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                        .collect(Collectors.joining(", ")) + ")";
                yield tree.problem(path, "", "unknown key '" + unknown.getPropertyName() + "'"
                        + (parent.isEmpty() ? " at the top level" : " under " + parent) + known, e);
            }
            case ValueInstantiationException invalid when invalid.getCause() instanceof IllegalArgumentException rule ->
                    brokenRule(tree, path, rule.getMessage(), e);
            case ValueInstantiationException invalid -> tree.problem(path, keyPath,
                    "invalid value (" + invalid.getOriginalMessage() + ")", e);
            case InvalidFormatException format -> tree.problem(path, keyPath,
                    "expected " + expectation(format.getTargetType()) + ", got " + quote(format.getValue()), e);
            case MismatchedInputException mismatch -> tree.problem(path, keyPath,
                    "expected " + expectation(mismatch.getTargetType()) + gotToken(mismatch), e);
            default -> tree.problem(path, keyPath, firstLine(e.getOriginalMessage()), e);
        };
    }

    /**
     * A rule a record's constructor checks. Its message starts with the field it is about ("waitTime must be …",
     * "table: …", "columns.email: …"), so when that field is written under the record the error points at the
     * field's own line and key; otherwise (a rule about the record as a whole, a field left out) at the record's.
     */
    static ConfigException brokenRule(ConfigTree tree, ConfigPath record, String rule, Throwable cause) {
        Matcher field = LEADING_FIELD.matcher(rule);
        if (field.find()) {
            List<ConfigPath> named = new ArrayList<>();
            ConfigPath at = record;
            Matcher segment = FIELD_SEGMENT.matcher(field.group(1));
            while (segment.find()) {
                at = segment.group(1) == null ? at.child(segment.group())
                        : at.index(Integer.parseInt(segment.group(1)));
                named.add(at);
            }
            // the longest written part of the name: "runner.receivers and …" points at runner: when only runner's
            // other keys are written
            for (ConfigPath candidate : named.reversed()) {
                if (tree.writtenAt(candidate).isPresent()) {
                    // "columns.email: no field …" is shown once under its key path, not as "….email: columns.email: …"
                    String said = candidate == named.getLast() && rule.startsWith(field.group(1) + ": ")
                            ? rule.substring(field.group(1).length() + 2) : rule;
                    return tree.problem(candidate, candidate.keyPath(), said, cause);
                }
            }
        }
        return tree.problem(record, record.keyPath(), rule, cause);
    }

    /** A problem found while reading tokens (a duplicate key): the reader's own location is the right one. */
    private static ConfigException readProblem(String source, String keyPath, StreamReadException e) {
        TokenStreamLocation location = e.getLocation();
        int line = location == null ? 0 : location.getLineNr();
        int column = location == null ? 0 : location.getColumnNr();
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        String problem = duplicate.find() ? "key '" + duplicate.group(1) + "' appears twice"
                : firstLine(e.getOriginalMessage());
        return new ConfigException(source, line, column, keyPath, problem, e);
    }

    private static String expectation(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Duration.class) {
            return DurationText.EXPECTED;
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == byte.class || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == Path.class) {
            return "a path";
        }
        return "a mapping";
    }

    private static String gotToken(MismatchedInputException e) {
        JsonToken token = e.getCurrentToken();
        if (token == null && e.processor() instanceof JsonParser parser) {
            token = parser.currentToken();
        }
        if (token == null) {
            return "";
        }
        return ", got " + switch (token) {
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "a mapping";
            case START_ARRAY, END_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "nothing (null)";
            default -> "another kind of value";
        };
    }

    private static String quote(Object value) {
        if (!(value instanceof String text)) {
            return String.valueOf(value);
        }
        String shown = text.length() > LONGEST_QUOTED_VALUE ? text.substring(0, LONGEST_QUOTED_VALUE) + "…" : text;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
