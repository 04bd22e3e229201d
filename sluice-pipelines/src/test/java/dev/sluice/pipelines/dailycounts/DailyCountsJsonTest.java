package dev.sluice.pipelines.dailycounts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DailyCountsJsonTest {

    private static final DailyCounts COUNTS = new DailyCounts("submission_success",
            Instant.parse("2026-11-22T18:00:00Z"), List.of(
            PlatformDays.day(LocalDate.parse("2026-11-21"), 12, 7, 0),
            PlatformDays.day(LocalDate.parse("2026-11-22"), 3, 0, 1)));

    @Test
    void writesTheDocumentedShapeAndReadsItBack() {
        byte[] json = DailyCountsJson.write(COUNTS);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"event\":\"submission_success\","
                + "\"generated_at\":\"2026-11-22T18:00:00Z\",\"days\":["
                + "{\"day\":\"2026-11-21\",\"android\":12,\"ios\":7,\"other\":0},"
                + "{\"day\":\"2026-11-22\",\"android\":3,\"ios\":0,\"other\":1}]}");
        assertThat(DailyCountsJson.read(json)).isEqualTo(COUNTS);
    }

    @Test
    void aDocumentInAnotherShapeNamesTheField() {
        assertThatThrownBy(() -> DailyCountsJson.read("{\"event\":\"e\",\"days\":[]}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("generated_at is missing");
        assertThatThrownBy(() -> DailyCountsJson.read(("{\"event\":\"e\",\"generated_at\":\"2026-11-22T18:00:00Z\","
                + "\"days\":[{\"day\":\"2026-11-21\",\"android\":\"x\",\"ios\":0,\"other\":0}]}").getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("android must be an integer");
        assertThatThrownBy(() -> DailyCountsJson.read("not json".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Submission", "a/b", "../x", "a b", "é"})
    void anEventNameOutsideTheRuleIsRefusedNamingItAndTheRule(String event) {
        assertThatThrownBy(() -> new DailyCounts(event, Instant.EPOCH, COUNTS.days()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + event + "'").hasMessageContaining(DailyCounts.EVENT_RULE);
        assertThat(DailyCounts.isValidEvent(event)).isFalse();
    }

    @Test
    void countsNeedADay() {
        assertThatThrownBy(() -> new DailyCounts("e", Instant.EPOCH, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one day");
    }
}
