package dev.sluice.core.process;

import static dev.sluice.core.process.ProcessorHarness.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.pipeline.Event;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FlattenTest {

    private final ProcessorHarness harness = new ProcessorHarness();

    private Event flattened(String flatten, String body) {
        Outcome<Event> outcome = harness.processors(pipeline("flat", "- {type: parse_json}\n" + flatten), "flat")
                .apply(harness.event(body));
        return ((Outcome.Emit<Event>) outcome).value();
    }

    @Test
    void nestedObjectsBecomeFlatNamesToAnyDepthAndArraysStayWhole() {
        Event event = flattened("- {type: flatten}", """
                {"device": {"os": "ios", "screen": {"w": 3}}, "tags": [{"a": 1}], "empty": {}, "n": null}""");

        assertThat(event.record().values().keySet()).containsExactly("device_os", "device_screen_w", "tags", "n");
        assertThat(((JsonNode) event.record().values().get("tags")).isArray()).isTrue();
    }

    @Test
    void theSeparatorCanBeChosen() {
        Event event = flattened("- {type: flatten, separator: .}", "{\"device\": {\"os\": \"ios\"}}");

        assertThat(event.record().values().keySet()).containsExactly("device.os");
    }

    @Test
    void twoKeysThatFlattenToOneNameAreRejectedNamingBoth() {
        Outcome<Event> outcome = harness.processors(pipeline("clash", "- {type: parse_json}\n- {type: flatten}"),
                "clash").apply(harness.event("{\"device_os\": \"a\", \"device\": {\"os\": \"b\"}}"));

        assertThat(outcome).isEqualTo(Outcome.reject("device_os: the keys device_os and device.os both flatten to"
                + " this name"));
    }

    @Test
    void anEmptySeparatorIsAConfigErrorAtItsKey() {
        assertThatThrownBy(() -> harness.assemble(pipeline("flat", "- {type: flatten, separator: ''}"), "flat"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:5:25: pipelines.flat.processors[0].separator: separator must not be empty");
    }

    @Test
    void flattenAfterASchemaIsAConfigError() {
        assertThatThrownBy(() -> harness.assemble(pipeline("flat", """
                - {type: parse_json}
                - {type: schema, fields: {a: {type: string}}}
                - {type: flatten}"""), "flat"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:7:9: pipelines.flat.processors[2]: flatten works on parsed JSON,"
                        + " but a schema before it has already made typed fields of it");
    }
}
