package dev.sluice.core.process;

import static dev.sluice.core.process.ProcessorHarness.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class SchemaTest {

    private static final String ORDERS = pipeline("orders", """
            - {type: parse_json}
            - type: schema
              fields:
                order_id: {type: string, maxLength: 8, format: uuid}
                amount: {type: number}
                items: {type: integer}
                gift: {type: boolean, required: false}
                paid_at: {type: timestamp}
                ship_on: {type: date, nullable: true}
                ip: {type: string, format: ip}
                app: {type: string, format: version}
                card: {type: string, format: digits}
                sent: {type: string, format: timestamp}
                status: {type: string, format: enum, values: [new, paid]}
            """);

    private final ProcessorHarness harness = new ProcessorHarness();
    private final Stage<Event, Event> orders = harness.processors(ORDERS, "orders");

    private static String body(String changes) {
        return """
                {"order_id": "o-1", "amount": 12.50, "items": 3, "paid_at": "2026-01-30T19:13:43.383+01:00",
                 "ship_on": "2026-02-01", "ip": "10.0.0.1", "app": "2.3", "card": "4111", "sent": "2026-01-30 18:00:00",
                 "status": "paid", "extra": "dropped" %s}""".formatted(changes);
    }

    /** The body with {@code paid_at} set to this JSON value. */
    private static String paidAt(String json) {
        return body("").replace("\"2026-01-30T19:13:43.383+01:00\"", json);
    }

    private FlatRecord accepted(String body) {
        Outcome<Event> outcome = orders.apply(harness.event(body));
        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
        return ((Outcome.Emit<Event>) outcome).value().record();
    }

    private Outcome<Event> outcome(String body) {
        return orders.apply(harness.event(body));
    }

    @Test
    void declaredFieldsBecomeJavaValuesInOrderAndUndeclaredOnesAreDropped() {
        FlatRecord record = accepted(body(""));

        assertThat(record.values().keySet()).containsExactly("order_id", "amount", "items", "paid_at", "ship_on",
                "ip", "app", "card", "sent", "status");
        assertThat(record.number("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat(record.integer("items")).isEqualTo(3L);
        assertThat(record.timestamp("paid_at")).isEqualTo(OffsetDateTime.parse("2026-01-30T18:13:43.383Z"));
        assertThat(record.date("ship_on")).isEqualTo(LocalDate.of(2026, 2, 1));
        assertThat(record.string("sent")).isEqualTo("2026-01-30 18:00:00");
        assertThat(record.has("gift")).isFalse();
    }

    @Test
    void aTimestampIsIsoTextWithAnOffsetOrWithoutOneAsUtcOrAnIntegerOfEpochMilliseconds() {
        assertThat(accepted(paidAt("\"2026-01-30 18:13:43.5\"")).timestamp("paid_at"))
                .isEqualTo(OffsetDateTime.parse("2026-01-30T18:13:43.500Z"));
        assertThat(accepted(paidAt("1769796823383"))
                .timestamp("paid_at")).isEqualTo(OffsetDateTime.parse("2026-01-30T18:13:43.383Z"));
        assertThat(accepted(paidAt("\"2026-01-30T19:13:43+0100\""))
                .timestamp("paid_at")).isEqualTo(OffsetDateTime.parse("2026-01-30T18:13:43Z"));
    }

    @Test
    void nestedObjectsUnderUndeclaredNamesAreFlattenedAndDeclaredNamesKeptWhole() {
        Stage<Event, Event> logins = harness.processors(pipeline("nested", """
                - {type: parse_json}
                - {type: schema, fields: {device_type: {type: string}, ip: {type: string}}}"""), "nested");

        assertThat(((Outcome.Emit<Event>) logins.apply(harness.event(
                "{\"device\": {\"type\": \"ios\"}, \"ip\": \"1.2.3.4\"}"))).value().record().string("device_type"))
                .isEqualTo("ios");
        assertThat(logins.apply(harness.event("{\"device_type\": \"ios\", \"ip\": {\"v4\": \"1.2.3.4\"}}")))
                .isEqualTo(Outcome.reject("ip: expected a string, got an object"));
    }

    @Test
    void aRejectListsEveryBrokenRuleInFieldOrderWithoutValues() {
        String broken = """
                {"order_id": "o-123456789", "amount": "12", "items": 1.5, "gift": "yes", "paid_at": "yesterday",
                 "ship_on": "2026-02-30", "ip": "300.1.1.1", "app": "v2", "card": "4111-1111", "sent": 17,
                 "status": "lost"}""";

        assertThat(outcome(broken)).isEqualTo(Outcome.reject("order_id: longer than 8 characters; "
                + "amount: expected a number, got a string; "
                + "items: expected an integer, got a decimal number; "
                + "gift: expected a boolean, got a string; "
                + "paid_at: expected an ISO 8601 time 'YYYY-MM-DDTHH:MM:SS[.fraction]' with an offset (Z, +HH:MM)"
                + " or without one (UTC); "
                + "ship_on: expected a date 'YYYY-MM-DD'; "
                + "ip: not an IPv4 or IPv6 address; "
                + "app: not a version (1 to 3 dot-separated numbers); "
                + "card: expected only digits 0-9, found another character at position 4; "
                + "sent: expected a string, got a number; "
                + "status: expected one of new, paid"));
    }

    @Test
    void requiredNullableAndTheTimestampRangeAreEnforced() {
        assertThat(outcome("{\"amount\": null, \"ship_on\": null, \"paid_at\": \"0000-12-31T23:00:00Z\"}"))
                .isEqualTo(Outcome.reject("order_id: required field is missing; amount: must not be null; "
                        + "items: required field is missing; paid_at: expected a time in UTC years 0001 to 9999; "
                        + "ip: required field is missing; app: required field is missing; "
                        + "card: required field is missing; sent: required field is missing; "
                        + "status: required field is missing"));
        assertThat(outcome(paidAt("\"2026-01-30T25:00:00Z\"")))
                .isEqualTo(Outcome.reject("paid_at: not a valid calendar date, time of day or offset"));
        assertThat(outcome(paidAt("99999999999999999999")))
                .isEqualTo(Outcome.reject("paid_at: expected a time in UTC years 0001 to 9999"));
        assertThat(outcome(paidAt("1769796823383.5")))
                .isEqualTo(Outcome.reject("paid_at: expected a timestamp (ISO 8601 text or an integer of epoch"
                        + " milliseconds), got a decimal number"));
        assertThat(outcome(paidAt("true")))
                .isEqualTo(Outcome.reject("paid_at: expected a timestamp (ISO 8601 text or an integer of epoch"
                        + " milliseconds), got a boolean"));
        assertThat(outcome(body("").replace("\"o-1\"", "\"o\\u0000\"")))
                .isEqualTo(Outcome.reject("order_id: must not contain a control character (U+0000-U+001F,"
                        + " U+007F-U+009F), found one at position 1"));
    }

    @Test
    void afterTheSchemaThePipelineKnowsExactlyTheDeclaredFields() {
        assertThat(harness.fieldsAtSink(ORDERS, "orders").all()).extracting(FieldSpec::name)
                .containsExactly("order_id", "amount", "items", "gift", "paid_at", "ship_on", "ip", "app", "card",
                        "sent", "status");
        assertThat(harness.fieldsAtSink(ORDERS, "orders").field("order_id")).hasValueSatisfying(field -> {
            assertThat(field.type()).isEqualTo(FieldType.STRING);
            assertThat(field.maxLength()).isEqualTo(8);
        });
        assertThat(harness.fieldsAtSink(ORDERS, "orders").field("ship_on")).hasValueSatisfying(field -> {
            assertThat(field.type()).isEqualTo(FieldType.DATE);
            assertThat(field.nullAllowed()).isTrue();
        });
    }

    private static void refused(String fields, String message) {
        assertThatThrownBy(() -> new ProcessorHarness().assemble(pipeline("bad", """
                - {type: parse_json}
                - type: schema
                  fields:
                """ + fields.indent(4)), "bad"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void anUnknownTypeNamesTheKnownOnes() {
        refused("id: {type: strng}", "user.yaml:8:16: pipelines.bad.processors[1].fields.id.type: expected one of"
                + " string, integer, number, double, boolean, timestamp, date, got \"strng\"");
    }

    @Test
    void aSettingOfTheWrongTypeIsAnErrorAtItsKey() {
        refused("id: {type: string, maxLength: long}", "user.yaml:8:30: pipelines.bad.processors[1].fields.id"
                + ".maxLength: expected an integer, got \"long\"");
        refused("id: {type: string, required: maybe}", "user.yaml:8:30: pipelines.bad.processors[1].fields.id"
                + ".required: expected true or false, got \"maybe\"");
    }

    @Test
    void rulesOfAFieldAreErrorsAtTheirKey() {
        refused("id: {type: integer, maxLength: 8}", "user.yaml:8:31: pipelines.bad.processors[1].fields.id"
                + ".maxLength: maxLength applies to string fields only, this one is an integer");
        refused("id: {type: string, format: enum}", "user.yaml:8:30: pipelines.bad.processors[1].fields.id.format:"
                + " enum needs values: the list of accepted values");
        refused("id: {type: string, format: ip, values: [a]}", "user.yaml:8:42: pipelines.bad.processors[1].fields"
                + ".id.values: values belongs to format: enum only");
        refused("id: {type: string, format: zip}", "user.yaml:8:30: pipelines.bad.processors[1].fields.id.format:"
                + " expected one of ip, version, uuid, timestamp, digits, enum, got \"zip\"");
        refused("id: {type: string, maxlength: 8}", "user.yaml:8:30: unknown key 'maxlength' under"
                + " pipelines.bad.processors[1].fields.id (known: format, maxFuture, maxLength, min, nullable,"
                + " pattern, required, type, values)");
        refused("id: {required: true}", "user.yaml:8:11: pipelines.bad.processors[1].fields.id: type is required:"
                + " one of string, integer, number, double, boolean, timestamp, date");
    }

    @Test
    void aSchemaWithoutFieldsIsAConfigError() {
        assertThatThrownBy(() -> harness.assemble(pipeline("bad", "- {type: schema}"), "bad"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:5:9: pipelines.bad.processors[0]: fields must declare at least one field,"
                        + " like fields: {order_id: {type: string, maxLength: 64}}");
    }

    private static final String EVENTS = pipeline("events", """
            - {type: parse_json}
            - type: schema
              fields:
                event_uuid: {type: string, format: uuid}
                event_name: {type: string, pattern: '[A-Za-z0-9_-]{1,128}(:[^:]+)*'}
                created_at: {type: number, min: 0, maxFuture: 1d}
                seen_at: {type: timestamp, required: false, maxFuture: 1h}
                weight: {type: double, required: false, min: 1}
              rest: payload
            """);

    @Test
    void theRestKeepsEveryUndeclaredMemberAsSentAfterTheDeclaredFields() {
        Stage<Event, Event> events = harness.processors(EVENTS, "events");
        Outcome<Event> outcome = events.apply(harness.event("""
                {"amount": 12.50, "event_uuid": "u-1", "big": 1e400, "event_name": "payment:order:completed",
                 "nested": {"x": [1, 2.0], "e": "\\u00e9"}, "created_at": 1700000000.50, "level": "high"}"""));

        FlatRecord record = ((Outcome.Emit<Event>) outcome).value().record();
        assertThat(record.values().keySet()).containsExactly("event_uuid", "event_name", "created_at", "payload");
        assertThat(record.number("created_at")).isEqualTo(new BigDecimal("1700000000.50"));
        assertThat(record.string("payload"))
                .isEqualTo("{\"amount\":12.50,\"big\":1E+400,\"nested\":{\"x\":[1,2.0],\"e\":\"\u00e9\"},"
                        + "\"level\":\"high\"}");
        assertThat(harness.fieldsAtSink(EVENTS, "events").all()).extracting(FieldSpec::name)
                .containsExactly("event_uuid", "event_name", "created_at", "seen_at", "weight", "payload");
        assertThat(((Outcome.Emit<Event>) events.apply(harness.event(
                "{\"event_uuid\": \"u\", \"event_name\": \"heartbeat\", \"created_at\": 0}")))
                .value().record().string("payload")).isEqualTo("{}");
    }

    @Test
    void patternMinAndMaxFutureRejectNamingTheFieldAndTheRule() {
        Stage<Event, Event> events = harness.processors(EVENTS, "events");
        long now = ProcessorHarness.NOW.getEpochSecond();
        String badName = "event_name: does not match the pattern [A-Za-z0-9_-]{1,128}(:[^:]+)*; ";
        String[][] cases = {
                {"\"a::b\", \"created_at\": -0.5, \"weight\": 0.5",
                        badName + "created_at: must not be negative; weight: must be at least 1"},
                {"\"a b\", \"created_at\": " + (now + 86_401) + ", \"seen_at\": \"2026-03-04T13:00:01Z\"",
                        badName + "created_at: more than PT24H in the future; seen_at: more than PT1H in the future"},
                {"\"a:\", \"created_at\": \"1700000000\"", badName + "created_at: expected a number, got a string"}};

        for (String[] c : cases) {
            assertThat(events.apply(harness.event("{\"event_uuid\": \"u\", \"event_name\": " + c[0] + "}")))
                    .isEqualTo(Outcome.reject(c[1]));
        }
        assertThat(events.apply(harness.event("{\"event_uuid\": \"u\", \"event_name\": \"a\","
                + " \"created_at\": " + (now + 86_400) + ", \"seen_at\": \"2026-03-04T13:00:00Z\"}")))
                .isInstanceOf(Outcome.Emit.class);
    }

    @Test
    void aDoubleIsTheNearestFloatOfAnyFiniteNumber() {
        Stage<Event, Event> events = harness.processors(EVENTS, "events");

        assertThat(((Outcome.Emit<Event>) events.apply(harness.event("{\"event_uuid\": \"u\", \"event_name\":"
                + " \"a\", \"created_at\": 1, \"weight\": 12.50}"))).value().record().values())
                .containsEntry("weight", 12.5d);
        assertThat(events.apply(harness.event("{\"event_uuid\": \"u\", \"event_name\": \"a\","
                + " \"created_at\": 1, \"weight\": 1e400}")))
                .isEqualTo(Outcome.reject("weight: a number too large for a double"));
    }

    @Test
    void theNewRulesAreErrorsAtTheirKey() {
        refused("id: {type: integer, pattern: a}", "user.yaml:8:31: pipelines.bad.processors[1].fields.id.pattern:"
                + " pattern applies to string fields only, this one is an integer");
        refused("id: {type: string, pattern: '('}", "user.yaml:8:30: pipelines.bad.processors[1].fields.id.pattern:"
                + " pattern is not a regular expression: Unclosed group");
        refused("id: {type: string, min: 0}", "user.yaml:8:30: pipelines.bad.processors[1].fields.id.min: min"
                + " applies to integer, number and double fields only, this one is a string");
        refused("id: {type: date, maxFuture: 1d}", "user.yaml:8:28: pipelines.bad.processors[1].fields.id.maxFuture:"
                + " maxFuture applies to timestamps and numbers of Unix seconds only, this one is a date");
        refused("id: {type: number, maxFuture: -1d}", "user.yaml:8:30: pipelines.bad.processors[1].fields.id"
                + ".maxFuture: expected a duration like 20s or 500ms, got \"-1d\"");
        assertThatThrownBy(() -> new ProcessorHarness().assemble(pipeline("bad", """
                - {type: parse_json}
                - {type: schema, rest: id, fields: {id: {type: string}}}"""), "bad"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:6:24: pipelines.bad.processors[1].rest: rest must name a field that is not"
                        + " declared, was 'id'");
    }
}
