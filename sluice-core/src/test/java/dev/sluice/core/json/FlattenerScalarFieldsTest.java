package dev.sluice.core.json;

import dev.sluice.core.engine.Outcome;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FlattenerScalarFieldsTest {
    private final JsonMapper json = JsonMapper.builder().build();
    private final RecordSchema schema = RecordSchema.of(FieldSpec.string("ip"), FieldSpec.string("device_type"));

    private Outcome<FlatRecord> run(String body) {
        return new Flattener(schema.fieldNames()).then(schema).apply((ObjectNode) json.readTree(body));
    }

    @Test
    void anObjectUnderADeclaredScalarFieldIsATypeErrorNotAMissingField() {
        assertThat(run("{\"ip\": {\"v4\": \"10.0.0.1\"}, \"device_type\": \"ios\"}"))
                .isEqualTo(Outcome.reject("ip: expected a string, got an object"));
    }

    @Test
    void otherNestedObjectsAreStillFlattened() {
        assertThat(run("{\"ip\": \"10.0.0.1\", \"device\": {\"type\": \"ios\"}}"))
                .isInstanceOfSatisfying(Outcome.Emit.class, emit ->
                        assertThat(((FlatRecord) emit.value()).string("device_type")).isEqualTo("ios"));
        assertThat(new Flattener(Set.of()).apply((ObjectNode) json.readTree("{\"ip\": {\"v4\": \"x\"}}")))
                .isInstanceOfSatisfying(Outcome.Emit.class, emit ->
                        assertThat(((java.util.Map<?, ?>) emit.value()).keySet()).hasToString("[ip_v4]"));
    }
}
