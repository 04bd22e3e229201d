package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseTimestamps;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.pipeline.Event;
import dev.sluice.pipelines.DefinedPipelines;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TrackingEventGeneratorTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant WINTER = Instant.parse("2026-01-30T18:13:52.221Z");
    private static final Instant SUMMER = Instant.parse("2026-07-30T18:13:52.221Z");
    private static final String UPPER_UUID = "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}";
    private static final Set<String> OPTIONAL = Set.of("context_app_version", "context_device_ad_tracking_enabled",
            "context_library_name", "context_library_version", "context_timezone", "user_id", "context_device_token");

    private static List<String> bodies(long seed, double duplicates, double malformed, Instant now, int count) {
        TrackingEventGenerator generator = new TrackingEventGenerator(seed, duplicates, malformed,
                Clock.fixed(now, ZoneOffset.UTC));
        return IntStream.range(0, count).mapToObj(i -> generator.next()).toList();
    }

    /** The shipped definition's processors: what the archiver checks each body with. */
    private static final Stage<Message, Event> CHECK;

    static {
        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(), TrackingArchiveHarness.shippedDefinition())) {
            CHECK = defined.processors("tracking");
        }
    }

    private static Outcome<Event> check(String body) {
        return CHECK.apply(
                new Message(body, new SourceCoordinates.Queue("q", "m", 1), Instant.EPOCH, "r"));
    }

    /** VARCHAR(n) per column of the events table, read from its migration. */
    private static Map<String, Integer> columnLengths() throws IOException {
        Map<String, Integer> lengths = new HashMap<>(TrackingJobs.eventsColumns());
        lengths.values().removeIf(length -> length == 0);
        return lengths;
    }

    @Test
    void eventsAreShapedLikeTheFixtureAndPassTheArchiversCheck() throws IOException {
        Map<String, Integer> lengths = columnLengths();
        assertThat(lengths).containsEntry("context_library_name", 16).hasSizeGreaterThan(10);
        Set<String> fixtureFields = new HashSet<>();
        for (String line : TrackingArchiveHarness.fixtureLines()) {
            JSON.readTree(line).propertyNames().forEach(fixtureFields::add);
        }
        Set<String> optionalSeen = new HashSet<>();
        Set<String> optionalMissed = new HashSet<>();
        for (String body : bodies(7, 0, 0, WINTER, 300)) {
            assertThat(body).doesNotContain("\n");
            assertThat(check(body)).isInstanceOf(Outcome.Emit.class);
            JsonNode e = JSON.readTree(body);
            assertThat(e.propertyNames()).isSubsetOf(fixtureFields);
            assertThat(e.get("id").asString()).matches(UPPER_UUID);
            assertThat(e.get("anonymous_id").asString()).matches(UPPER_UUID);
            String event = e.get("event").asString();
            assertThat(event).isIn("submission_success", "registration_initiated", "another_event");
            assertThat(e.get("event_text").asString()).isEqualTo(switch (event) {
                case "submission_success" -> "submissionSuccess";
                case "registration_initiated" -> "registrationInitiated";
                default -> "anotherEvent";
            });
            boolean android = e.get("context_device_type").asString().equals("android");
            assertThat(e.get("context_device_type").asString()).isIn("android", "ios");
            assertThat(e.get("context_os_name").asString()).isEqualTo(android ? "Android" : "iOS");
            if (e.has("user_id")) {
                assertThat(e.get("user_id").asString()).matches("[1-9][0-9]*");
            }
            if (e.has("context_device_token")) {
                assertThat(e.get("context_device_token").isNull()).isTrue();
            }
            e.properties().forEach(field -> {
                if (field.getValue().isString() && lengths.containsKey(field.getKey())) {
                    assertThat(field.getValue().asString().length()).as(field.getKey())
                            .isLessThanOrEqualTo(lengths.get(field.getKey()));
                }
            });
            OPTIONAL.forEach(f -> (e.has(f) ? optionalSeen : optionalMissed).add(f));
        }
        assertThat(optionalSeen).as("every optional field sometimes present").isEqualTo(OPTIONAL);
        assertThat(optionalMissed).as("and sometimes absent").isEqualTo(OPTIONAL);
    }

    @Test
    void timesFollowEachOtherAsTheIssueSays() {
        for (Instant now : List.of(WINTER, SUMMER)) {
            for (String body : bodies(11, 0, 0, now, 200)) {
                JsonNode e = JSON.readTree(body);
                Instant received = WarehouseTimestamps.parseNaiveUtc("received_at", e.get("received_at").asString());
                Instant sent = WarehouseTimestamps.parseNaiveUtc("sent_at", e.get("sent_at").asString());
                Instant timestamp = WarehouseTimestamps.parseNaiveUtc("timestamp", e.get("timestamp").asString());
                OffsetDateTime original = WarehouseTimestamps.parseWithOffset("original_timestamp",
                        e.get("original_timestamp").asString());
                assertThat(e.get("received_at").asString()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}");
                assertThat(e.get("original_timestamp").asString()).matches(".*T.*\\.\\d{3}[+]0[12]00");
                assertThat(received).isEqualTo(now);
                assertThat(Duration.between(sent, received)).isBetween(Duration.ofNanos(100_000), Duration.ofMillis(2));
                assertThat(Duration.between(timestamp, sent)).isBetween(Duration.ofNanos(100_000), Duration.ofMillis(1));
                assertThat(original.toInstant()).isBefore(timestamp).isAfter(timestamp.minusSeconds(1));
                assertThat(original.getOffset()).isEqualTo(ZoneId.of("Europe/Berlin").getRules()
                        .getOffset(original.toInstant()));
                assertThat(original.getOffset()).isEqualTo(ZoneOffset.ofHours(now == WINTER ? 1 : 2));
            }
        }
    }

    @Test
    void theSameSeedAndClockGiveTheSameBodies() {
        assertThat(bodies(42, 0.1, 0.1, WINTER, 100)).isEqualTo(bodies(42, 0.1, 0.1, WINTER, 100))
                .isNotEqualTo(bodies(43, 0.1, 0.1, WINTER, 100));
    }

    @Test
    void duplicatesResendAnEarlierEventAndMalformedBodiesAreBrokenJson() {
        List<String> bodies = bodies(5, 0.2, 0.2, WINTER, 500);
        List<String> valid = new ArrayList<>();
        int duplicates = 0;
        int malformed = 0;
        for (String body : bodies) {
            Outcome<Event> outcome = check(body);
            if (outcome instanceof Outcome.Reject<Event> reject) {
                assertThat(reject.reason()).startsWith("body: not valid JSON");
                malformed++;
            } else if (valid.contains(body)) {
                duplicates++;
            } else {
                valid.add(body);
            }
        }
        // 500 bodies at 0.2 each: about 100 of both; wide bounds hold for any seed, and none would fail them
        assertThat(duplicates).isBetween(50, 150);
        assertThat(malformed).isBetween(50, 150);
        assertThat(valid.size() + duplicates + malformed).isEqualTo(500);
    }
}
