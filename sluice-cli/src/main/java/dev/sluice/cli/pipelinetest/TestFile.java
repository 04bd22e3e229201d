package dev.sluice.cli.pipelinetest;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.KeysetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pipeline test file ({@code orders.test.yaml}): which pipeline, from which definition, at which fixed time,
 * masking with which test keyset, and its cases (read one by one as they run, so a broken case fails alone).
 *
 * <pre>{@code
 * pipeline: orders                  # required
 * definition: orders.yaml           # default: <pipeline>.yaml beside this file, else the shipped definition
 * clock: 2026-12-07T10:00:00Z       # the time every step sees; default 2026-01-01T00:00:00Z
 * keyset: test                      # the built-in test keyset (default), or a keyset file made for tests
 * env: {ORDERS_QUEUE: orders}       # variables the definition reads; others without a default are empty
 * processors: [parse, validate]     # default: all; a case may say its own
 * cases: [...]
 * }</pre>
 */
record TestFile(Path path, String pipeline, ConfigNode pipelineNode, Optional<Path> definition, Clock clock,
                String keysetJson, Map<String, String> environment, List<String> processors, ConfigNode root,
                List<ConfigNode> cases) {

    static final List<String> KEYS = List.of("pipeline", "description", "definition", "clock", "keyset", "env",
            "processors", "cases");
    static final Instant DEFAULT_CLOCK = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * Reads {@code path}'s settings; a problem with them (or YAML that does not parse) is one error naming the
     * file, the line and the key.
     */
    static TestFile read(Path path) {
        // No environment: a test means the same on every machine. $${ writes a literal ${, as in every Sluice file.
        ConfigNode root = new ConfigLoader(Map.of()).read(path).root();
        if (!root.isMapping()) {
            throw root.problem("a pipeline test is a mapping of " + String.join(", ", KEYS));
        }
        for (String key : root.keys()) {
            if (!KEYS.contains(key)) {
                throw root.at(key).problem("unknown key '" + key + "' in a pipeline test (known: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        ConfigNode pipelineNode = root.at("pipeline");
        String pipeline = pipelineNode.text().filter(name -> !name.isBlank())
                .orElseThrow(() -> pipelineNode.problem("required: the name of the pipeline under test"));
        Optional<Path> definition = definition(path, pipeline, root.at("definition"));
        List<ConfigNode> cases = root.at("cases").elements();
        if (cases.isEmpty()) {
            throw root.at("cases").problem("required: a list of cases, each with a name, an input and what to"
                    + " expect");
        }
        return new TestFile(path, pipeline, pipelineNode, definition, clock(root.at("clock")),
                keyset(path, root.at("keyset")), environment(root.at("env")), names(root.at("processors"), ""), root,
                cases);
    }

    /** The keyset masks use in this test (its {@code keyset:}, checked when the file was read). */
    Keyset keyset() {
        return Keyset.parse(keysetJson, "the test's keyset");
    }

    /** The file named, beside this one; without one, {@code <pipeline>.yaml} when it is there. */
    private static Optional<Path> definition(Path path, String pipeline, ConfigNode node) {
        if (node.isMissing()) {
            Path beside = path.resolveSibling(pipeline + ".yaml");
            return Files.isRegularFile(beside) ? Optional.of(beside) : Optional.empty();
        }
        String name = node.text().orElseThrow(() -> node.problem("expected the path of a definition file"));
        Path file = path.resolveSibling(name);
        if (!Files.isRegularFile(file)) {
            throw node.problem("no definition file " + file + " (a path relative to this test file)");
        }
        return Optional.of(file);
    }

    private static Clock clock(ConfigNode node) {
        if (node.isMissing()) {
            return Clock.fixed(DEFAULT_CLOCK, ZoneOffset.UTC);
        }
        String text = node.text().orElseThrow(() -> node.problem("expected a time such as 2026-12-07T10:00:00Z"));
        try {
            return Clock.fixed(OffsetDateTime.parse(text).toInstant(), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw node.problem("expected a time with its offset, such as 2026-12-07T10:00:00Z");
        }
    }

    private static String keyset(Path path, ConfigNode node) {
        String name = node.isMissing() ? "test" : node.text().orElseThrow(() -> node.problem("expected test (the"
                + " built-in test keyset) or the path of a keyset file made for tests"));
        if (name.equals("test")) {
            return TestKeyset.json();
        }
        Path file = path.resolveSibling(name);
        try {
            String json = Files.readString(file, StandardCharsets.UTF_8);
            Keyset.parse(json, "keyset file " + file);
            return json;
        } catch (IOException e) {
            throw node.problem("cannot read keyset file " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (KeysetException e) {
            throw node.problem(e.getMessage());
        }
    }

    private static Map<String, String> environment(ConfigNode node) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (node.isMissing()) {
            return environment;
        }
        if (!node.isMapping()) {
            throw node.problem("expected a mapping of variable names to values");
        }
        for (String key : node.keys()) {
            ConfigNode value = node.at(key);
            if (value.value().isContainer()) {
                throw value.problem("expected a value (text, a number or a boolean)");
            }
            environment.put(key, value.isMissing() ? "" : value.value().asString());
        }
        return environment;
    }

    /** A list of processor ids; empty when not written. */
    static List<String> names(ConfigNode node, String inCase) throws ConfigException {
        List<String> names = new ArrayList<>();
        if (node.isMissing()) {
            return names;
        }
        if (!node.value().isArray() || node.value().isEmpty()) {
            throw node.problem(inCase + "expected a list of processor ids, such as [parse, validate]");
        }
        for (ConfigNode element : node.elements()) {
            names.add(element.text().orElseThrow(() -> element.problem(inCase + "expected a processor id")));
        }
        return names;
    }
}
