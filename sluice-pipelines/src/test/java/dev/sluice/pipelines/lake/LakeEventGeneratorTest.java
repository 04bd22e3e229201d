package dev.sluice.pipelines.lake;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The generator's shape from a seed: skew across names, late and duplicate rates, bodies the parser takes. */
class LakeEventGeneratorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00.123456Z");
    private static final int EVENTS = 50_000;

    @Test
    void ratesAndSkewAreWithinToleranceOfTheSettings() {
        LakeEventGenerator generator = new LakeEventGenerator(42, 100, 0.02, 0.05);
        Map<String, Integer> byName = new HashMap<>();
        Set<String> sent = new HashSet<>();
        int duplicates = 0;
        int late = 0;
        for (int i = 0; i < EVENTS; i++) {
            LakeEventGenerator.Generated e = generator.next(NOW);
            if (e.duplicate()) {
                duplicates++;
                assertThat(sent).as("a duplicate resends an earlier event").contains(e.eventUuid());
                continue;
            }
            assertThat(sent.add(e.eventUuid())).as("new events have new ids").isTrue();
            byName.merge(e.eventName(), 1, Integer::sum);
            if (e.late()) {
                late++;
                Duration lateness = Duration.between(e.createdAt(), NOW);
                assertThat(lateness).isBetween(LakeEventGenerator.MIN_LATENESS, LakeEventGenerator.MAX_LATENESS);
            } else {
                assertThat(e.createdAt()).isEqualTo(NOW);
            }
        }
        int fresh = EVENTS - duplicates;
        assertThat((double) duplicates / EVENTS).isCloseTo(0.02, within(0.003));
        assertThat((double) late / fresh).isCloseTo(0.05, within(0.005));

        List<String> names = generator.names();
        assertThat(names).hasSize(100).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z]+:[a-z]+"));
        for (int rank : new int[] {0, 1, 9, 49}) {
            double expected = generator.share(rank) * fresh;
            assertThat((double) byName.getOrDefault(names.get(rank), 0)).as("rank %d", rank)
                    .isCloseTo(expected, within(4 * Math.sqrt(expected) + 1));
        }
        double topTen = 0;
        for (int rank = 0; rank < 10; rank++) {
            topTen += byName.getOrDefault(names.get(rank), 0);
        }
        assertThat(topTen / fresh).as("the ten most common names carry most events").isGreaterThan(0.5);
        assertThat(generator.share(0) / generator.share(99)).isGreaterThan(100);
    }

    @Test
    void bodiesCarryTheFieldsTheLakeNeedsAndTheSameSeedMakesTheSameEvents() {
        LakeEventGenerator a = new LakeEventGenerator(7, 100, 0.1, 0.1);
        LakeEventGenerator b = new LakeEventGenerator(7, 100, 0.1, 0.1);
        Map<String, Set<String>> fieldsByName = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            LakeEventGenerator.Generated e = a.next(NOW);
            assertThat(b.next(NOW)).isEqualTo(e);
            JsonNode body = JSON.readTree(e.body());
            assertThat(body.path("event_uuid").asString()).isEqualTo(e.eventUuid());
            assertThat(body.path("event_name").asString()).isEqualTo(e.eventName());
            assertThat(body.path("created_at").isNumber()).isTrue();
            assertThat(body.path("created_at").decimalValue().movePointRight(6).longValueExact())
                    .isEqualTo(e.createdAt().getEpochSecond() * 1_000_000 + e.createdAt().getNano() / 1_000);
            Set<String> fields = new HashSet<>(body.propertyNames());
            assertThat(fieldsByName.computeIfAbsent(e.eventName(), n -> fields)).as("each name keeps its fields")
                    .isEqualTo(fields);
        }
    }

    @Test
    void badSettingsAreRefusedWithTheOptionAndTheRule() {
        assertThatThrownBy(() -> new LakeEventGenerator(1, 0, 0, 0)).hasMessage("types must be between 1 and 200, was 0");
        assertThatThrownBy(() -> new LakeEventGenerator(1, 100, 1.5, 0))
                .hasMessage("duplicate-rate must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> new LakeEventGenerator(1, 100, 0, -0.1))
                .hasMessage("late-rate must be between 0 and 1, was -0.1");
    }
}
