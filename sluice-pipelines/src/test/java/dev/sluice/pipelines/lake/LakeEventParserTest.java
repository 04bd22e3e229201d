package dev.sluice.pipelines.lake;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.parquet.lake.LakeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LakeEventParserTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final LakeEventParser PARSER = new LakeEventParser(Duration.ofDays(1),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Message message(String body) {
        return new Message(body, new SourceCoordinates.Stream("product-events", "shardId-000000000000", "1"),
                NOW, "1");
    }

    static LakeEvent parsed(String body) {
        Outcome<LakeEvent> outcome = PARSER.apply(message(body));
        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
        return ((Outcome.Emit<LakeEvent>) outcome).value();
    }

    static String rejected(String body) {
        Outcome<LakeEvent> outcome = PARSER.apply(message(body));
        assertThat(outcome).isInstanceOf(Outcome.Reject.class);
        return ((Outcome.Reject<LakeEvent>) outcome).reason();
    }

    @Test
    void enrichesAndKeepsEveryOtherFieldAsSent() {
        String body = """
                {"event_uuid":"u-1","event_name":"payment:order:completed","created_at":1700000000.5,
                 "amount":12.50,"big":123456789012345678901234567890,"tags":["a",1,null],"nested":{"x":true},
                 "event_type":"not-the-derived-one","note":null}""";

        LakeEvent event = parsed(body);

        assertThat(event.eventUuid()).isEqualTo("u-1");
        assertThat(event.eventName()).isEqualTo("payment:order:completed");
        assertThat(event.eventType()).isEqualTo("payment");
        assertThat(event.eventSubtype()).isEqualTo("order");
        assertThat(event.createdAt()).isEqualTo(1700000000.5);
        assertThat(event.createdDatetime()).isEqualTo("2023-11-14T22:13:20.5Z");
        ObjectNode expected = (ObjectNode) JSON.readTree(body);
        expected.remove("event_uuid");
        expected.remove("event_name");
        expected.remove("created_at");
        assertThat(JSON.readTree(event.payload())).isEqualTo(expected);
        assertThat(event.payload()).contains("12.50").contains("123456789012345678901234567890");
        assertThat(event.partition().path()).isEqualTo("year=2023/month=11/day=14/event_type=payment/");
    }

    @ParameterizedTest
    @CsvSource({
            "1700000000, 2023-11-14T22:13:20Z",
            "1700000000.0, 2023-11-14T22:13:20.0Z",
            "1700000000.50, 2023-11-14T22:13:20.50Z",
            "1700000000.123456789012, 2023-11-14T22:13:20.123456789012Z",
            "0, 1970-01-01T00:00:00Z",
            "1.7e9, 2023-11-14T22:13:20Z"})
    void createdDatetimeKeepsTheFractionAsSent(String createdAt, String expected) {
        LakeEvent event = parsed("{\"event_uuid\":\"u\",\"event_name\":\"a:b\",\"created_at\":" + createdAt + "}");

        assertThat(event.createdDatetime()).isEqualTo(expected);
        assertThat(event.createdAt()).isEqualTo(Double.parseDouble(createdAt));
        assertThat(event.payload()).isEqualTo("{}");
    }

    @Test
    void payloadValuesAreJsonEqualToWhatWasSentWithTheirDigitsKept() {
        String body = "{\"event_uuid\":\"u\",\"event_name\":\"a:b\",\"created_at\":1,\"e\":1.5e3,"
                + "\"z\":0.100,\"s\":\"caf\\u00e9 \\\"q\\\"\",\"n\":-0,\"big\":1e400}";

        LakeEvent event = parsed(body);

        ObjectNode expected = (ObjectNode) JSON.readTree(body);
        expected.remove(List.of("event_uuid", "event_name", "created_at"));
        assertThat(JSON.readTree(event.payload())).isEqualTo(expected);
        // Digits and scale as sent, never rounded through a double; notation and escapes may be written differently.
        assertThat(event.payload()).contains("\"z\":0.100").contains("\"big\":1E+400").contains("café");
    }

    @Test
    void aSinglePartNameHasNoSubtype() {
        LakeEvent event = parsed("{\"event_uuid\":\"u\",\"event_name\":\"heartbeat\",\"created_at\":1700000000}");

        assertThat(event.eventType()).isEqualTo("heartbeat");
        assertThat(event.eventSubtype()).isNull();
    }

    @Test
    void aRecordOfKinesisMaximumSizeIsTakenWhole() throws Exception {
        String head = "{\"event_uuid\":\"u\",\"event_name\":\"a:b\",\"created_at\":1700000000,\"blob\":\"";
        String blob = "x".repeat(LakeEventParser.MAX_RECORD_BYTES - head.length() - 2);
        String body = head + blob + "\"}";
        assertThat(body.length()).isEqualTo(LakeEventParser.MAX_RECORD_BYTES);

        LakeEvent event = parsed(body);

        assertThat(JSON.readTree(event.payload()).get("blob").stringValue()).isEqualTo(blob);
        assertThat(rejected(head + blob + "y\"}")).startsWith("body: ").contains("exceeds the limit");
    }

    @Test
    void aFieldWhoseTypeDiffersBetweenEventsIsKeptAsSentInEach() {
        LakeEvent number = parsed("{\"event_uuid\":\"1\",\"event_name\":\"a:b\",\"created_at\":1,\"level\":3}");
        LakeEvent text = parsed("{\"event_uuid\":\"2\",\"event_name\":\"a:b\",\"created_at\":1,\"level\":\"high\"}");
        LakeEvent object = parsed("{\"event_uuid\":\"3\",\"event_name\":\"a:b\",\"created_at\":1,\"level\":{\"n\":3}}");

        assertThat(number.payload()).isEqualTo("{\"level\":3}");
        assertThat(text.payload()).isEqualTo("{\"level\":\"high\"}");
        assertThat(object.payload()).isEqualTo("{\"level\":{\"n\":3}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"event_uuid\":\"u\",", "[1,2]", "", "{\"created_at\":NaN}"})
    void nonJsonOrNonObjectBodiesAreRejected(String body) {
        assertThat(rejected(body)).startsWith("body: ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"event_name\":\"a:b\",\"created_at\":1}|event_uuid: missing",
            "{\"event_uuid\":\"\",\"event_name\":\"a:b\",\"created_at\":1}|event_uuid: expected a non-empty string",
            "{\"event_uuid\":7,\"event_name\":\"a:b\",\"created_at\":1}|event_uuid: expected a non-empty string",
            "{\"event_uuid\":\"u\",\"created_at\":1}|event_name: missing",
            "{\"event_uuid\":\"u\",\"event_name\":[\"a\"],\"created_at\":1}|event_name: expected a string",
            "{\"event_uuid\":\"u\",\"event_name\":\"a:b\"}|created_at: missing"})
    void missingOrMistypedFieldsAreRejectedByName(String body, String reason) {
        assertThat(rejected(body)).startsWith(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a::b", ":b", "a:", "", ":", "a:b:"})
    void eventNamesWithEmptyPartsAreRejected(String name) {
        assertThat(rejected("{\"event_uuid\":\"u\",\"event_name\":\"" + name + "\",\"created_at\":1}"))
                .isEqualTo("event_name: an empty part; expected type:subtype[:more] or a single type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b:c", "..:x", "year=2020:x", "café:x", "a b:c"})
    void eventTypesThatAreNoSafePathSegmentAreRejected(String name) {
        String reason = rejected("{\"event_uuid\":\"u\",\"event_name\":\"" + name + "\",\"created_at\":1}");

        assertThat(reason).startsWith("event_name: its type (the first part) must be ");
        assertThat(reason).doesNotContain(name.split(":")[0]);
    }

    @Test
    void createdAtAsAStringNegativeOrFarInTheFutureIsRejected() {
        String far = Long.toString(NOW.plus(Duration.ofDays(1)).getEpochSecond() + 1);
        String edge = Long.toString(NOW.plus(Duration.ofDays(1)).getEpochSecond());

        assertThat(rejected(body("\"1700000000\""))).isEqualTo("created_at: expected a JSON number of Unix "
                + "seconds, got a string");
        assertThat(rejected(body("\"NaN\""))).startsWith("created_at: expected a JSON number");
        assertThat(rejected(body("-1"))).isEqualTo("created_at: must not be negative");
        assertThat(rejected(body("-0.5"))).isEqualTo("created_at: must not be negative");
        assertThat(rejected(body(far))).isEqualTo("created_at: more than PT24H in the future").doesNotContain(far);
        assertThat(rejected(body("1e400"))).isEqualTo("created_at: more than PT24H in the future");
        assertThat(parsed(body(edge)).createdDatetime()).isEqualTo("2026-11-23T12:00:00Z");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "secret\\u0000uuid | event_uuid: must not contain a control character (U+0000-U+001F, U+007F-U+009F), "
                    + "found one at position 6",
            "secret\\nuuid | event_uuid: must not contain a control character (U+0000-U+001F, U+007F-U+009F), "
                    + "found one at position 6",
            "secret\\u009fuuid | event_uuid: must not contain a control character (U+0000-U+001F, U+007F-U+009F), "
                    + "found one at position 6",
            "secret\\udc00 | event_uuid: must be valid Unicode, found an unpaired surrogate at position 6",
            "secret\\ud800x | event_uuid: must be valid Unicode, found an unpaired surrogate at position 6"})
    void eventUuidsThatLakeSeenCannotStoreAreRejectedWithoutTheirValue(String uuid, String reason) {
        assertThat(rejected("{\"event_uuid\":\"" + uuid + "\",\"event_name\":\"a:b\",\"created_at\":1}"))
                .isEqualTo(reason);
    }

    @Test
    void anEventUuidIsAtMost256Characters() {
        String longest = "u".repeat(LakeEventParser.MAX_EVENT_UUID_LENGTH - 2) + "\ud83d\ude00";

        assertThat(parsed("{\"event_uuid\":\"" + longest + "\",\"event_name\":\"a:b\",\"created_at\":1}")
                .eventUuid()).isEqualTo(longest);
        assertThat(rejected("{\"event_uuid\":\"" + "u".repeat(257) + "\",\"event_name\":\"a:b\",\"created_at\":1}"))
                .isEqualTo("event_uuid: longer than 256 characters (257)");
    }

    private static String body(String createdAt) {
        return "{\"event_uuid\":\"u\",\"event_name\":\"a:b\",\"created_at\":" + createdAt + "}";
    }

    @Test
    void rejectReasonsCarryNoValues() {
        JsonNode bad = JSON.readTree("{\"event_uuid\":\"secret-uuid\",\"event_name\":\"secret::name\","
                + "\"created_at\":1}");
        assertThat(rejected(bad.toString())).doesNotContain("secret");
    }
}
