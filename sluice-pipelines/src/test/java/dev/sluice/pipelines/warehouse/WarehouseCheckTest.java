package dev.sluice.pipelines.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The rules of {@code warehouse_check} as the tracking definition sets them (the raw archiver's check). */
class WarehouseCheckTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final WarehouseCheck check = new WarehouseCheck(new WarehouseCheck.Settings(
            List.of("id", "event", "timestamp"), List.of("timestamp", "sent_at", "received_at", "original_timestamp")));

    static List<String> fixtureLines() throws IOException {
        Path file = Path.of(System.getProperty("sluice.fixtures"), "tracking", "sample_events.ndjson");
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    /** The body's members as parse_json makes them the record. */
    private Outcome<Event> apply(String body) {
        Event event = Event.of(new Message(body, new SourceCoordinates.Queue("tracking-events", "m-1", 1),
                Instant.EPOCH, "r-1"));
        Map<String, JsonNode> members = new LinkedHashMap<>();
        JSON.readTree(body).properties().forEach(member -> members.put(member.getKey(), member.getValue()));
        return check.apply(event.with(new FlatRecord(members)));
    }

    private static ObjectNode firstFixtureEvent() throws IOException {
        return (ObjectNode) JSON.readTree(fixtureLines().getFirst());
    }

    @Test
    void fixtureEventsPassUnchanged() throws IOException {
        for (String line : fixtureLines()) {
            Outcome<Event> outcome = apply(line);
            assertThat(outcome).isInstanceOf(Outcome.Emit.class);
            assertThat(((Outcome.Emit<Event>) outcome).value().message().body()).isEqualTo(line);
        }
    }

    @Test
    void offsetTimestampsAreAcceptedToo() throws IOException {
        ObjectNode event = firstFixtureEvent();
        event.put("timestamp", "2018-01-30T19:13:43.627+01:00");
        event.put("sent_at", "2018-01-30T18:13:51Z");
        String body = JSON.writeValueAsString(event);
        assertThat(apply(body)).isInstanceOf(Outcome.Emit.class);
    }

    @Test
    void nullOrAbsentOptionalTimesAreTheLoadersBusiness() throws IOException {
        ObjectNode event = firstFixtureEvent();
        event.putNull("sent_at");
        event.remove("received_at");
        event.remove("original_timestamp");
        event.put("user_id", "not digits");
        String body = JSON.writeValueAsString(event);
        assertThat(apply(body)).isInstanceOf(Outcome.Emit.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "id|id: required field is missing",
            "event|event: required field is missing",
            "timestamp|timestamp: required field is missing"})
    void aMissingRequiredFieldIsNamed(String field, String reason) throws IOException {
        ObjectNode event = firstFixtureEvent();
        event.remove(field);
        assertThat(apply(JSON.writeValueAsString(event))).isEqualTo(Outcome.reject(reason));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "id;\"\";id: must be a non-empty string, got an empty string",
            "id;42;id: must be a non-empty string, got a number",
            "event;null;event: must be a non-empty string, got null",
            "event;{\"a\":1};event: must be a non-empty string, got an object",
            "timestamp;\"\";timestamp: must be a non-empty string, got an empty string",
            "timestamp;1517336032;timestamp: must be a non-empty string, got a number",
            "timestamp;\"30.01.2018 18:13:43\";timestamp: " + WarehouseTimestamps.EITHER_RULE,
            "timestamp;\"2018-01-30\";timestamp: " + WarehouseTimestamps.EITHER_RULE,
            "timestamp;\"2018-02-30 18:13:43\";timestamp: not a valid calendar date, time of day or offset",
            "sent_at;\"2018-01-30 18:13\";sent_at: " + WarehouseTimestamps.EITHER_RULE,
            "received_at;\"\";received_at: " + WarehouseTimestamps.EITHER_RULE,
            "received_at;true;received_at: must be a string when present, got a boolean",
            "original_timestamp;\"2018-01-30T19:13:43.383+01\";original_timestamp: " + WarehouseTimestamps.EITHER_RULE})
    void aBadRequiredFieldOrTimeIsNamedWithoutItsValue(String field, String json, String reason) throws IOException {
        ObjectNode event = firstFixtureEvent();
        event.set(field, JSON.readTree(json));
        assertThat(apply(JSON.writeValueAsString(event))).isEqualTo(Outcome.reject(reason));
    }

    @Test
    void everyBrokenRuleIsListed() {
        assertThat(apply("{\"event\":\"\",\"timestamp\":\"yesterday\",\"sent_at\":\"now\"}")).isEqualTo(Outcome.reject(
                "id: required field is missing; event: must be a non-empty string, got an empty string; timestamp: "
                        + WarehouseTimestamps.EITHER_RULE + "; sent_at: " + WarehouseTimestamps.EITHER_RULE));
    }

}
