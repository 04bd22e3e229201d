package dev.sluice.cli.pipelinetest;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.mask.Keyset;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of a test file: its name, the processors it runs (the file's unless it names its own), its inputs and,
 * for each input in order, what the pipeline must make of it.
 *
 * <pre>{@code
 * - name: a valid order is stored masked
 *   input: {json: {order_id: o-1, email: ada@example.com}}      # or a list of inputs
 *   expect: {emit: {order_id: o-1, email: {startsWith: sv1.}}}  # one per input, in order
 * }</pre>
 *
 * <p>A case without {@code expect} fails, showing what each input became: the first draft of its expectations.
 */
record TestCase(String name, List<String> processors, List<ConfigNode> inputs, List<Expected> expected) {

    static final List<String> KEYS = List.of("name", "processors", "input", "expect");

    /** The case's name, or where it is when it has none: for the output line, before the case is read. */
    static String nameOf(ConfigNode node, int index) {
        return node.at("name").text().filter(name -> !name.isBlank()).orElse("cases[" + index + "]");
    }

    /** The words that start every error about a case, so the line names it. */
    static String inCase(String name) {
        return "case '" + name + "': ";
    }

    static TestCase read(ConfigNode node, int index, List<String> fileProcessors, Keyset keyset) {
        String name = nameOf(node, index);
        String inCase = inCase(name);
        if (!node.isMapping()) {
            throw node.problem(inCase + "a case is a mapping of " + String.join(", ", KEYS));
        }
        for (String key : node.keys()) {
            if (!KEYS.contains(key)) {
                throw node.at(key).problem(inCase + "unknown key '" + key + "' in a case (known: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        if (node.at("name").text().filter(text -> !text.isBlank()).isEmpty()) {
            throw node.problem(inCase + "name is required: it is the case's line in the output");
        }
        List<String> processors = TestFile.names(node.at("processors"), inCase);
        List<ConfigNode> inputs = oneOrMany(node.at("input"), inCase, "input");
        // Without expect the case runs and shows what each input became: how a test is started.
        List<ConfigNode> expects = node.at("expect").isMissing() ? List.of()
                : oneOrMany(node.at("expect"), inCase, "expect");
        if (!expects.isEmpty() && inputs.size() != expects.size()) {
            throw node.at("expect").problem(inCase + "expected one outcome per input, in order: " + inputs.size()
                    + (inputs.size() == 1 ? " input, " : " inputs, ") + expects.size()
                    + (expects.size() == 1 ? " outcome" : " outcomes"));
        }
        List<Expected> expected = new ArrayList<>();
        for (ConfigNode expect : expects) {
            expected.add(Expected.read(expect, inCase, keyset));
        }
        return new TestCase(name, processors.isEmpty() ? fileProcessors : processors, inputs, expected);
    }

    private static List<ConfigNode> oneOrMany(ConfigNode node, String inCase, String key) {
        if (node.isMissing()) {
            throw node.problem(inCase + key + " is required");
        }
        if (node.value().isArray()) {
            if (node.value().isEmpty()) {
                throw node.problem(inCase + key + " is an empty list");
            }
            return node.elements();
        }
        return List.of(node);
    }
}
