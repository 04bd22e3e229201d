package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatRecordTest {

    private final FlatRecord record = new FlatRecord(new LinkedHashMap<>(Map.of("a", "1")));

    @Test
    void withAllReplacesInPlaceAppendsNewFieldsInOrderKeepsNullsAndLeavesTheOriginalAlone() {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("a", "token");
        changes.put("b", null);
        changes.put("c", 3L);

        FlatRecord changed = record.withAll(changes);

        assertThat(changed.values().keySet()).containsExactly("a", "b", "c");
        assertThat(changed.values()).containsEntry("a", "token").containsEntry("b", null).containsEntry("c", 3L);
        assertThat(record.values()).containsExactly(Map.entry("a", "1"));
        assertThat(changed).isEqualTo(record.with("a", "token").with("b", null).with("c", 3L));
    }
}
