package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseTimestamps;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class TrackingEventCheckTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final TrackingEventCheck check = new TrackingEventCheck();

    static List<String> fixtureLines() throws IOException {
        Path file = Path.of(System.getProperty("sluice.fixtures"), "tracking", "sample_events.ndjson");
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    private static Message message(String body) {
        return new Message(body, new SourceCoordinates.Queue("tracking-events", "m-1", 1), Instant.EPOCH, "r-1");
    }

    private Outcome<ArchivedEvent> apply(String body) {
        return check.apply(message(body));
    }

    private static ObjectNode firstFixtureEvent() throws IOException {
        return (ObjectNode) JSON.readTree(fixtureLines().getFirst());
    }

    @Test
    void fixtureEventsPassAsTheirOwnBodyWithTheirTimestamp() throws IOException {
        for (String line : fixtureLines()) {
            JsonNode event = JSON.readTree(line);
            Instant timestamp = WarehouseTimestamps.parseNaiveUtc("timestamp", event.get("timestamp").asString());
            assertThat(apply(line)).isEqualTo(Outcome.emit(new ArchivedEvent(line, timestamp)));
        }
    }

    @Test
    void aBodyWithLineBreaksBecomesOneCompactLineOfTheSameObject() throws IOException {
        ObjectNode event = firstFixtureEvent();
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event).replace("\n", "\r\n");
        assertThat(pretty).contains("\n");

        ArchivedEvent archived = ((Outcome.Emit<ArchivedEvent>) apply(pretty)).value();

        assertThat(archived.line()).doesNotContain("\n", "\r");
        assertThat(JSON.readTree(archived.line())).isEqualTo(event);
        assertThat(archived.line()).isEqualTo(JSON.writeValueAsString(event));
    }

    @Test
    void offsetTimestampsAreAcceptedToo() throws IOException {
        ObjectNode event = firstFixtureEvent();
        event.put("timestamp", "2018-01-30T19:13:43.627+01:00");
        event.put("sent_at", "2018-01-30T18:13:51Z");
        String body = JSON.writeValueAsString(event);
        assertThat(apply(body)).isEqualTo(Outcome.emit(
                new ArchivedEvent(body, Instant.parse("2018-01-30T18:13:43.627Z"))));
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

    @Test
    void aBodyThatIsNotAJsonObjectIsRejectedByTheParser() {
        assertThat(apply("{\"id\":\"A\",\"event\":")).isEqualTo(Outcome.reject("body: not valid JSON (line 1, column 19)"));
        assertThat(apply("[1,2]")).isEqualTo(Outcome.reject("body: expected a JSON object, got an array"));
        assertThat(apply("")).isEqualTo(Outcome.reject("body: empty, expected a JSON object"));
        assertThat(apply("{\"id\":\"A\",\"id\":\"B\"}"))
                .isEqualTo(Outcome.reject("body: a key appears twice in one object (line 1, column 15)"));
    }
}
