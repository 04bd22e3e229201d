package dev.sluice.core.process;

import static dev.sluice.core.process.ProcessorHarness.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.pipeline.Event;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ParseJsonTest {

    private final ProcessorHarness harness = new ProcessorHarness();

    private Stage<Event, Event> parse(String settings) {
        return harness.processors(pipeline("parsed", "- {type: parse_json" + settings + "}"), "parsed");
    }

    @Test
    void theTopLevelMembersOfTheBodyBecomeTheRecordInOrderStillAsJson() {
        Outcome<Event> outcome = parse("").apply(harness.event("""
                {"b": 1.50, "a": {"nested": true}, "c": [1, 2], "d": null}"""));

        Event event = ((Outcome.Emit<Event>) outcome).value();
        assertThat(event.record().values().keySet()).containsExactly("b", "a", "c", "d");
        assertThat(event.record().values().get("b")).isInstanceOf(JsonNode.class)
                .hasToString("1.50");
        assertThat(((JsonNode) event.record().values().get("a")).get("nested").booleanValue()).isTrue();
        assertThat(((JsonNode) event.record().values().get("d")).isNull()).isTrue();
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRejectedWithTheRuleNotTheBody() {
        Stage<Event, Event> parse = parse("");

        assertThat(parse.apply(harness.event("[1, 2]")))
                .isEqualTo(Outcome.reject("body: expected a JSON object, got an array"));
        assertThat(parse.apply(harness.event("{\"secret\": ")))
                .isInstanceOfSatisfying(Outcome.Reject.class, reject -> assertThat(reject.reason())
                        .startsWith("body: not valid JSON").doesNotContain("secret"));
        assertThat(parse.apply(harness.event("{\"a\": 1, \"a\": 2}")))
                .isEqualTo(Outcome.reject("body: a key appears twice in one object (line 1, column 13)"));
        assertThat(parse.apply(harness.event("")))
                .isEqualTo(Outcome.reject("body: empty, expected a JSON object"));
    }

    @Test
    void aBodyOverMaxBodyBytesIsRejected() {
        assertThat(parse(", maxBodyBytes: 10").apply(harness.event("{\"a\": \"123456\"}")))
                .isEqualTo(Outcome.reject("body: 15 bytes exceeds the limit of 10"));
    }

    @Test
    void aSettingOfTheWrongTypeNamesTheFileLineAndKey() {
        assertThatThrownBy(() -> parse(", maxBodyBytes: large"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:5:28: pipelines.parsed.processors[0].maxBodyBytes: expected an integer,"
                        + " got \"large\"");
    }

    @Test
    void aMaxBodyBytesBelowTwoIsAConfigError() {
        assertThatThrownBy(() -> parse(", maxBodyBytes: 1"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:5:28: pipelines.parsed.processors[0].maxBodyBytes: maxBodyBytes must be at"
                        + " least 2 (the size of {}), got 1");
    }
}
