package dev.sluice.core.process;

import static dev.sluice.core.process.ProcessorHarness.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.pipeline.Event;
import org.junit.jupiter.api.Test;

class FilterTest {

    private static final String SCHEMA = """
            - {type: parse_json}
            - {type: schema, fields: {type: {type: string}, n: {type: number, nullable: true}, ok: {type: boolean}}}
            """;

    private final ProcessorHarness harness = new ProcessorHarness();

    private Stage<Event, Event> filter(String condition) {
        return harness.processors(pipeline("filtered", SCHEMA + "- {type: filter, " + condition + "}"), "filtered");
    }

    private boolean kept(Stage<Event, Event> filter, String type, String n, String ok) {
        return filter.apply(harness.event("{\"type\": \"" + type + "\", \"n\": " + n + ", \"ok\": " + ok + "}"))
                instanceof Outcome.Emit<Event>;
    }

    @Test
    void equalsKeepsMatchingEventsAndDropsTheRestWithTheRule() {
        Stage<Event, Event> clicks = filter("field: type, equals: click");

        assertThat(kept(clicks, "click", "1", "true")).isTrue();
        assertThat(clicks.apply(harness.event("{\"type\": \"view\", \"n\": 1, \"ok\": true}")))
                .isEqualTo(Outcome.drop("filter: type equals \"click\" is false"));
    }

    @Test
    void numbersCompareByValueAndBooleansAsBooleans() {
        assertThat(kept(filter("field: n, equals: 5"), "a", "5.0", "true")).isTrue();
        assertThat(kept(filter("field: n, equals: 5"), "a", "5.01", "true")).isFalse();
        assertThat(kept(filter("field: n, in: [1, 2.5]"), "a", "2.50", "true")).isTrue();
        assertThat(kept(filter("field: ok, equals: false"), "a", "1", "false")).isTrue();
        assertThat(kept(filter("field: n, equals: 5"), "a", "null", "true")).isFalse();
    }

    @Test
    void inExistsAndNot() {
        Stage<Event, Event> notViews = filter("field: type, in: [view, scroll], not: true");
        assertThat(kept(notViews, "click", "1", "true")).isTrue();
        assertThat(notViews.apply(harness.event("{\"type\": \"view\", \"n\": 1, \"ok\": true}")))
                .isEqualTo(Outcome.drop("filter: not (type in [\"view\", \"scroll\"]) is false"));
        assertThat(kept(filter("field: n, exists: true"), "a", "null", "true")).isFalse();
        assertThat(kept(filter("field: n, exists: true"), "a", "0", "true")).isTrue();
        assertThat(kept(filter("field: n, exists: false"), "a", "null", "true")).isTrue();
    }

    @Test
    void beforeASchemaJsonValuesCompareTheSameWay() {
        Stage<Event, Event> early = harness.processors(pipeline("early", """
                - {type: parse_json}
                - {type: filter, field: n, in: [1, "x"]}"""), "early");

        assertThat(early.apply(harness.event("{\"n\": 1.0}"))).isInstanceOf(Outcome.Emit.class);
        assertThat(early.apply(harness.event("{\"n\": \"x\"}"))).isInstanceOf(Outcome.Emit.class);
        assertThat(early.apply(harness.event("{\"n\": \"1\"}"))).isInstanceOf(Outcome.Drop.class);
        assertThat(early.apply(harness.event("{}"))).isInstanceOf(Outcome.Drop.class);
    }

    private void refused(String condition, String message) {
        assertThatThrownBy(() -> harness.assemble(pipeline("bad", SCHEMA + "- {type: filter, " + condition + "}"),
                "bad"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void anUnknownFieldOrAValueItsTypeNeverEqualsIsAConfigError() {
        refused("field: kind, equals: click", "user.yaml:7:24: pipelines.bad.processors[2].field: no field 'kind'"
                + " reaches this point (filtering on it; the fields here are type, n, ok)");
        refused("field: n, equals: five", "user.yaml:7:34: pipelines.bad.processors[2].equals: field 'n' is a"
                + " number, which never equals \"five\"");
        refused("field: type, in: [a, 1]", "user.yaml:7:37: pipelines.bad.processors[2].in: field 'type' is a"
                + " string, which never equals 1");
    }

    @Test
    void exactlyOneConditionIsAllowed() {
        refused("field: type, equals: a, exists: true", "user.yaml:7:9: pipelines.bad.processors[2]: give exactly one"
                + " of equals, in, exists (2 given)");
        refused("field: type", "user.yaml:7:9: pipelines.bad.processors[2]: give exactly one of equals, in, exists"
                + " (0 given)");
        refused("field: type, in: [[a]]", "user.yaml:7:42: pipelines.bad.processors[2].in[0]: in[0] must be a"
                + " string, a number or a boolean");
    }
}
