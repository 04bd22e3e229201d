package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatRecordTest {

    private final FlatRecord record = new FlatRecord(new LinkedHashMap<>(Map.of("a", "1")));

    @Test
    void aBuilderReplacesInPlaceAppendsNewFieldsInOrderKeepsNullsAndLeavesTheOriginalAlone() {
        FlatRecord.Builder builder = record.toBuilder().set("a", "token").set("b", null).set("c", 3L);

        assertThat(builder.has("b")).isTrue();
        assertThat(builder.get("b")).isNull();
        assertThat(builder.has("d")).isFalse();
        assertThat(builder.get("c")).isEqualTo(3L);

        FlatRecord changed = builder.build();

        assertThat(changed.values().keySet()).containsExactly("a", "b", "c");
        assertThat(changed.values()).containsEntry("a", "token").containsEntry("b", null).containsEntry("c", 3L);
        assertThat(record.values()).containsExactly(Map.entry("a", "1"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", "token");
        expected.put("b", null);
        expected.put("c", 3L);
        assertThat(changed).isEqualTo(new FlatRecord(expected));
    }

    @Test
    void aBuiltRecordCannotBeChangedThroughItsBuilderNorItsValues() {
        FlatRecord.Builder builder = FlatRecord.builder().set("a", "1");
        FlatRecord built = builder.build();

        assertThatThrownBy(() -> builder.set("a", "2")).isInstanceOf(IllegalStateException.class)
                .hasMessage("this builder already built its record");
        assertThatThrownBy(() -> built.values().put("a", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(built).isEqualTo(record);
    }

    @Test
    void aBuilderRefusesANullFieldName() {
        assertThatThrownBy(() -> FlatRecord.builder().set(null, "1")).isInstanceOf(NullPointerException.class)
                .hasMessage("field name");
    }
}
