package dev.sluice.core.process;

import static dev.sluice.core.process.ProcessorHarness.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.pipeline.Event;
import org.junit.jupiter.api.Test;

class EditFieldsTest {

    private static final String SCHEMA = """
            - {type: parse_json}
            - {type: schema, fields: {a: {type: string}, b: {type: integer}, c: {type: boolean}}}
            """;

    private final ProcessorHarness harness = new ProcessorHarness();

    private Outcome<Event> edit(String processors, String body) {
        return harness.processors(pipeline("edit", processors), "edit").apply(harness.event(body));
    }

    @Test
    void dropsThenRenamesAllAtOnceKeepingPlaces() {
        Outcome<Event> outcome = edit(SCHEMA + "- {type: fields, drop: [c], rename: {a: b, b: a}}",
                "{\"a\": \"x\", \"b\": 2, \"c\": true}");

        assertThat(((Outcome.Emit<Event>) outcome).value().record().values())
                .containsExactly(java.util.Map.entry("b", "x"), java.util.Map.entry("a", 2L));
        assertThat(harness.fieldsAtSink(pipeline("edit", SCHEMA + "- {type: fields, drop: [c], rename: {a: b, b:"
                + " a}}"), "edit").all()).extracting(FieldSpec::name, FieldSpec::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", FieldType.STRING),
                        org.assertj.core.groups.Tuple.tuple("a", FieldType.INTEGER));
    }

    @Test
    void withoutASchemaAnAbsentFieldIsLeftAloneAndARenameOntoAFieldIsRejected() {
        String processors = "- {type: parse_json}\n- {type: fields, drop: [gone], rename: {old: new}}";

        assertThat(((Outcome.Emit<Event>) edit(processors, "{\"old\": 1, \"x\": 2}")).value().record().values()
                .keySet()).containsExactly("new", "x");
        assertThat(edit(processors, "{\"old\": 1, \"new\": 2}"))
                .isEqualTo(Outcome.reject("new: a renamed field would replace a field of this name"));
        assertThat(edit(processors, "{\"new\": 2, \"old\": 1}"))
                .isEqualTo(Outcome.reject("new: a renamed field would replace a field of this name"));
    }

    private void refused(String step, String message) {
        assertThatThrownBy(() -> harness.assemble(pipeline("bad", SCHEMA + step), "bad"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void unknownFieldsAreConfigErrorsAtTheirKey() {
        refused("- {type: fields, drop: [a, z]}", "user.yaml:7:34: pipelines.bad.processors[2].drop[1]: no field"
                + " 'z' reaches this point (dropping it; the fields here are a, b, c)");
        refused("- {type: fields, rename: {z: y}}", "user.yaml:7:33: pipelines.bad.processors[2].rename.z: no field"
                + " 'z' reaches this point (renaming it; the fields here are a, b, c)");
    }

    @Test
    void aRenameOntoAFieldThatStaysIsAConfigError() {
        refused("- {type: fields, rename: {a: b}}", "user.yaml:7:33: pipelines.bad.processors[2].rename.a: field 'b'"
                + " is already there (drop or rename it in this step first)");
        refused("- {type: fields, rename: {a: x, b: x}}", "user.yaml:7:39: pipelines.bad.processors[2].rename.b:"
                + " another field is renamed to 'x' too");
        refused("- {type: fields, rename: {a: x}, drop: [a]}", "user.yaml:7:33: pipelines.bad.processors[2].rename"
                + ".a: the field is dropped too");
        refused("- {type: fields}", "user.yaml:7:9: pipelines.bad.processors[2]: give rename: {old: new} or drop:"
                + " [field, …] (or both)");
    }
}
