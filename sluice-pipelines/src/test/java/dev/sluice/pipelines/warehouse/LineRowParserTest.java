package dev.sluice.pipelines.warehouse;

import dev.sluice.core.engine.Outcome;
import dev.sluice.pipelines.tracking.TrackingJobs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming read ({@link StreamedRow}) against the tree read it stands in for: on every fixture line and
 * on every field of it changed in each way a rule cares about, the streaming read either gives up or makes exactly
 * the tree's values, and {@link LineRowParser#apply}, on the tracking events' columns, answers exactly as the tree does (same values, same reasons).
 */
class LineRowParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_LINE_BYTES = 1 << 20;
    private static final java.nio.file.Path FIXTURE = java.nio.file.Path.of(System.getProperty("sluice.fixtures"),
            "tracking", "sample_events.ndjson");

    /** The shipped tracking load's columns: the events table's. */
    private static final Map<String, ColumnConversion> COLUMNS = TrackingJobs.load("bucket: unused").columns();
    private final LineRowParser parser = new LineRowParser(COLUMNS, MAX_LINE_BYTES);
    private final StreamedRow streamed = new StreamedRow(parser.columns(), COLUMNS, parser.schema(),
            MAX_LINE_BYTES);

    @Test
    void everyValidFixtureLineIsReadByStreamingIntoTheTreesValues() {
        List<String> lines = fixtureLines();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            Outcome<List<String>> tree = parser.readTree(line);
            assertThat(tree).as(line).isInstanceOf(Outcome.Emit.class);
            String[] row = streamed.read(line);
            assertThat(row).as("the streaming read takes a valid line").isNotNull();
            assertThat(Arrays.asList(row)).isEqualTo(((Outcome.Emit<List<String>>) tree).value());
        }
    }

    @Test
    void everyChangedFieldIsAnsweredAsTheTreeAnswersIt() {
        List<String> variants = variants();
        int streamedCount = 0;
        for (String line : variants) {
            Outcome<List<String>> tree = parser.readTree(line);
            String[] row = streamed.read(line);
            if (row != null) {
                streamedCount++;
                assertThat(tree).as(line).isInstanceOf(Outcome.Emit.class);
                assertThat(Arrays.asList(row)).as(line).isEqualTo(((Outcome.Emit<List<String>>) tree).value());
            }
            assertThat(parser.apply(line)).as(line).isEqualTo(tree);
        }
        // Both kinds were met: lines the streaming read took, and lines it left to the tree.
        assertThat(streamedCount).isPositive().isLessThan(variants.size());
    }

    @Test
    void anAbsentOriginalTimestampIsNullAndLeavesOtherRejectsWorded() {
        ObjectNode event = (ObjectNode) JSON.readTree(fixtureLines().getFirst());
        int column = parser.columns().indexOf("original_timestamp");

        Outcome<List<String>> withoutIt = parser.apply(changed(event, e -> e.remove("original_timestamp")));
        assertThat(withoutIt).isInstanceOf(Outcome.Emit.class);
        assertThat(((Outcome.Emit<List<String>>) withoutIt).value().get(column)).isNull();

        // The tree path read it as a required field and threw; it must word the other rule instead.
        assertThat(parser.apply(changed(event, e -> {
                    e.remove("original_timestamp");
                    e.put("event", 1);
                })))
                .isEqualTo(Outcome.reject("event: expected a string, got a number"));
    }

    /** Each fixture line with each field removed, null, and of every other JSON kind; plus structural changes. */
    private static List<String> variants() {
        List<String> variants = new ArrayList<>();
        for (String line : fixtureLines()) {
            ObjectNode event = (ObjectNode) JSON.readTree(line);
            List<String> fields = new ArrayList<>(event.propertyNames());
            fields.addAll(COLUMNS.keySet());
            fields.add("extra_field");
            for (String field : fields) {
                variants.add(changed(event, e -> e.remove(field)));
                variants.add(changed(event, e -> e.putNull(field)));
                variants.add(changed(event, e -> e.put(field, true)));
                variants.add(changed(event, e -> e.put(field, 42)));
                variants.add(changed(event, e -> e.put(field, -7)));
                variants.add(changed(event, e -> e.put(field, 12345678901L)));
                variants.add(changed(event, e -> e.put(field, new java.math.BigInteger("123456789012345678901234"))));
                variants.add(changed(event, e -> e.put(field, 1.5)));
                variants.add(changed(event, e -> e.put(field, "")));
                variants.add(changed(event, e -> e.put(field, "007")));
                variants.add(changed(event, e -> e.put(field, "2147483648")));
                variants.add(changed(event, e -> e.put(field, "x".repeat(65))));
                variants.add(changed(event, e -> e.put(field, "tab\tand\\back")));
                variants.add(changed(event, e -> e.put(field, "2018-01-30T19:13:43Z")));
                variants.add(changed(event, e -> e.put(field, "2018-01-30 18:13:43")));
                variants.add(changed(event, e -> e.put(field, "2018-02-30 18:13:43")));
                variants.add(changed(event, e -> e.set(field, NODES.arrayNode().add(1).add("a"))));
                variants.add(changed(event, e -> e.set(field, NODES.objectNode().put("a", "b"))));
                variants.add(changed(event, e -> e.set(field, NODES.objectNode())));
            }
            // context.locale next to context_locale: two keys flatten to one name.
            variants.add(changed(event, e -> e.set("context", NODES.objectNode().put("locale", "de-DE"))));
            ObjectNode nested = event.deepCopy();
            nested.remove("context_locale");
            nested.set("context", NODES.objectNode().put("locale", "fr-FR")
                    .set("traits", NODES.objectNode().put("taxfix_language", "fr-FR")));
            nested.remove("context_traits_taxfix_language");
            variants.add(nested.toString());
            String text = event.toString();
            variants.add(text.substring(0, text.length() - 1) + ",\"id\":\"again\"}");
            variants.add(text + " {}");
            variants.add(text.substring(0, text.length() - 1));
            variants.add("[" + text + "]");
            variants.add("");
        }
        return variants;
    }

    static List<String> fixtureLines() {
        try {
            return java.nio.file.Files.readAllLines(FIXTURE).stream().filter(l -> !l.isBlank()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String changed(ObjectNode event, Consumer<ObjectNode> change) {
        ObjectNode copy = event.deepCopy();
        change.accept(copy);
        return copy.toString();
    }
}
