package dev.sluice.cli.pipelinetest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ValuesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Ref(String key, long size, Optional<String> version) {
    }

    @Test
    void aSchemasJavaValuesAndASourcesRecordsReadAsJson() {
        assertThat(Values.show(Values.json(Map.of("at", OffsetDateTime.of(2026, 12, 7, 9, 15, 0, 0,
                ZoneOffset.UTC))))).isEqualTo("{\"at\":\"2026-12-07T09:15:00Z\"}");
        assertThat(Values.show(Values.json(LocalDate.of(2026, 12, 7)))).isEqualTo("\"2026-12-07\"");
        assertThat(Values.show(Values.json(List.of(new Ref("a b", 3, Optional.empty())))))
                .isEqualTo("[{\"key\":\"a b\",\"size\":3,\"version\":null}]");
    }

    @Test
    void numbersCompareByValueTimesByInstantAndEverythingElseExactly() {
        assertThat(Values.same(json("12.5"), Values.json(new BigDecimal("12.50")))).isTrue();
        assertThat(Values.same(json("12.5"), Values.json("12.5"))).as("a number is not its text").isFalse();
        assertThat(Values.same(json("\"2026-12-07T10:15:00+01:00\""), json("\"2026-12-07T09:15:00Z\""))).isTrue();
        assertThat(Values.same(json("\"2026-12-07T10:15:00Z\""), json("\"2026-12-07T09:15:00Z\""))).isFalse();
        assertThat(Values.same(json("{\"a\": [1, 2]}"), json("{\"a\": [1, 2.0]}"))).isTrue();
        assertThat(Values.same(json("{\"a\": [1, 2]}"), json("{\"a\": [1, 2], \"b\": 3}"))).isFalse();
        assertThat(Values.same(json("null"), Values.json(null))).isTrue();
    }

    @Test
    void aPathReachesIntoAFieldThatHoldsAListOfRecords() {
        Map<String, Object> record = Map.of("objects", List.of(new Ref("k", 1, Optional.of("v1"))));
        assertThat(Expected.Emit.find(record, "objects[0].version")).isEqualTo(json("\"v1\""));
        assertThat(Expected.Emit.find(record, "objects[1].key")).isNull();
        assertThat(Expected.Emit.find(record, "other")).isNull();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
