package dev.sluice.parquet.lake;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeEventTest {

    private static LakeEvent at(String createdDatetime) {
        return new LakeEvent("u", "a:b", "a", "b", 1.0, createdDatetime, "{}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-05T00:00:00Z", "2026-01-05T23:59:59.5Z", "2026-01-05T23:59:59.123456789012Z"})
    void aUtcDatetimeWithOrWithoutAFractionNamesItsDay(String datetime) {
        assertThat(at(datetime).partition()).isEqualTo(new LakePartition(2026, 1, 5, "a"));
        assertThat(at(datetime).partition().path()).isEqualTo("year=2026/month=01/day=05/event_type=a/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026-01-05", "2026-01-05T00:00:00", "2026-01-05T00:00:00.Z", "2026-01-05 00:00:00Z",
            "2026-01-05T00:00:00+01:00", "2026-1-05T00:00:00Z", "2026-01-05T00:00:00.5xZ", "x026-01-05T00:00:00Z"})
    void anythingElseIsNoCreatedDatetime(String datetime) {
        assertThatThrownBy(() -> at(datetime)).hasMessageContaining("createdDatetime");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "account", "Payment_2", "x-y", "A"})
    void safeEventTypes(String type) {
        assertThat(LakePartition.isSafeEventType(type)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a=b", "..", "a.b", "a b", "café", "%2F"})
    void unsafeEventTypes(String type) {
        assertThat(LakePartition.isSafeEventType(type)).isFalse();
        assertThatThrownBy(() -> new LakeEvent("u", type, type, null, 1.0, "2026-01-05T00:00:00Z", "{}"))
                .hasMessageContaining("eventType");
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129})
    void eventTypesUpTo128Characters(int length) {
        assertThat(LakePartition.isSafeEventType("t".repeat(length))).isEqualTo(length <= 128);
    }
}
