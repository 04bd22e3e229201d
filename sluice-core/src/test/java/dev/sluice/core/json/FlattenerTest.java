package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.engine.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class FlattenerTest {

    private final JsonObjectParser parser = new JsonObjectParser();
    private final Flattener flattener = new Flattener();

    private Outcome<Map<String, JsonNode>> flatten(String json) {
        return flattener.apply(((Outcome.Emit<ObjectNode>) parser.apply(json)).value());
    }

    private Map<String, JsonNode> flat(String json) {
        return ((Outcome.Emit<Map<String, JsonNode>>) flatten(json)).value();
    }

    @Test
    void nestedObjectsBecomeParentChildKeysInBodyOrder() {
        Map<String, JsonNode> flat = flat("{\"user_id\":\"u\",\"device\":{\"type\":\"ios\",\"os\":{\"major\":17}},\"z\":1}");

        assertThat(flat.keySet()).containsExactly("user_id", "device_type", "device_os_major", "z");
        assertThat(flat.get("device_type").stringValue()).isEqualTo("ios");
        assertThat(flat.get("device_os_major").longValue()).isEqualTo(17);
    }

    @Test
    void aFlatBodyIsUnchanged() {
        assertThat(flat("{\"device_type\":\"ios\",\"locale\":null}").keySet()).containsExactly("device_type", "locale");
    }

    @Test
    void aCollisionIsRejectedNamingBothKeys() {
        assertThat(flatten("{\"device_type\":\"ios\",\"device\":{\"type\":\"android\"}}"))
                .isEqualTo(Outcome.reject("device_type: the keys device_type and device.type both flatten to this name"));
        assertThat(flatten("{\"a_b\":{\"c\":1},\"a\":{\"b_c\":2}}"))
                .isEqualTo(Outcome.reject("a_b_c: the keys a_b.c and a.b_c both flatten to this name"));
    }

    @Test
    void arraysStayWholeAndRenderAsJsonText() {
        Map<String, JsonNode> flat = flat("{\"tags\":[\"a\",{\"b\":1}],\"device\":{}}");

        assertThat(flat.keySet()).containsExactly("tags");
        assertThat(Flattener.asText(flat.get("tags"))).isEqualTo("[\"a\",{\"b\":1}]");
    }

    @Test
    void aRecordsFieldsWithNothingToFollowComeBackAsTheyAreAndNestedOnesAreFlattenedOrRejectedAsInABody() {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("user_id", "u");
        plain.put("locale", null);
        plain.put("tags", ((Outcome.Emit<ObjectNode>) parser.apply("{\"t\":[1]}")).value().get("t"));

        assertThat(flattener.flatten(plain)).isEqualTo(Outcome.emit(plain));

        Map<String, Object> nested = new LinkedHashMap<>(plain);
        nested.put("device", ((Outcome.Emit<ObjectNode>) parser.apply("{\"type\":\"ios\"}")).value());
        Map<String, Object> flat = ((Outcome.Emit<Map<String, Object>>) flattener.flatten(nested)).value();
        assertThat(flat.keySet()).containsExactly("user_id", "locale", "tags", "device_type");
        assertThat(((JsonNode) flat.get("device_type")).stringValue()).isEqualTo("ios");

        nested.put("device_type", "android");
        assertThat(flattener.flatten(nested))
                .isEqualTo(Outcome.reject("device_type: the keys device.type and device_type both flatten to this name"));
    }
}
