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
import dev.sluice.core.pipeline.Fields;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DeriveTest {

    private static final String CLICKS = pipeline("clicks", """
            - {type: parse_json}
            - type: schema
              fields:
                ts: {type: timestamp}
                name: {type: string, maxLength: 64, nullable: true}
                app_version: {type: string, required: false}
            - type: derive
              derive:
                - {field: day, date: ts}
                - {field: hour, hour: ts}
                - {field: ts_iso, iso: ts}
                - {field: first, split: name}
                - {field: last, split: name, separator: ", ", part: 1}
                - {field: version_number, version: app_version}
                - {field: source, constant: web}
                - {field: weight, constant: 1.5}
                - {field: count, constant: 1}
                - {field: create_date, processingDate: true}
                - {field: name_copy, copy: name}
                - {field: day_again, copy: day}
            """);

    private final ProcessorHarness harness = new ProcessorHarness();
    private final Stage<Event, Event> clicks = harness.processors(CLICKS, "clicks");

    private Outcome<Event> click(String body) {
        return clicks.apply(harness.event(body));
    }

    private FlatRecord derived(String body) {
        Outcome<Event> outcome = click(body);
        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
        return ((Outcome.Emit<Event>) outcome).value().record();
    }

    @Test
    void everyKindOfDerivationAddsItsFieldInOrder() {
        FlatRecord record = derived("""
                {"ts": "2026-01-30T23:30:00.250-01:00", "name": "Ada, Lovelace", "app_version": "2.3.1"}""");

        assertThat(record.date("day")).isEqualTo(LocalDate.of(2026, 1, 31));
        assertThat(record.integer("hour")).isEqualTo(0L);
        assertThat(record.string("ts_iso")).isEqualTo("2026-01-31T00:30:00.250Z");
        assertThat(record.string("first")).isEqualTo("Ada,");
        assertThat(record.string("last")).isEqualTo("Lovelace");
        assertThat(record.integer("version_number")).isEqualTo(2_003_001L);
        assertThat(record.string("source")).isEqualTo("web");
        assertThat(record.number("weight")).isEqualTo(new BigDecimal("1.5"));
        assertThat(record.integer("count")).isEqualTo(1L);
        assertThat(record.date("create_date")).isEqualTo(LocalDate.of(2026, 3, 4));
        assertThat(record.string("name_copy")).isEqualTo("Ada, Lovelace");
        assertThat(record.date("day_again")).isEqualTo(LocalDate.of(2026, 1, 31));
        assertThat(record.values().keySet()).containsExactly("ts", "name", "app_version", "day", "hour", "ts_iso",
                "first", "last", "version_number", "source", "weight", "count", "create_date", "name_copy",
                "day_again");
    }

    @Test
    void aMissingPartIsNullAndNullOrAbsentInputsGiveNullOrNothing() {
        FlatRecord record = derived("{\"ts\": 0, \"name\": null}");

        assertThat(record.string("first")).isNull();
        assertThat(record.has("name_copy")).isTrue();
        assertThat(record.string("name_copy")).isNull();
        assertThat(record.has("version_number")).isFalse();
        assertThat(derived("{\"ts\": 0, \"name\": \"Ada\"}").string("last")).isNull();
    }

    @Test
    void theNewFieldsAreKnownWithTheirTypes() {
        Fields fields = harness.fieldsAtSink(CLICKS, "clicks");

        assertThat(fields.all()).extracting(FieldSpec::name).endsWith("day", "hour", "ts_iso", "first", "last",
                "version_number", "source", "weight", "count", "create_date", "name_copy", "day_again");
        assertThat(fields.field("day").orElseThrow().type()).isEqualTo(FieldType.DATE);
        assertThat(fields.field("hour").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
        assertThat(fields.field("ts_iso").orElseThrow().maxLength()).isEqualTo(30);
        assertThat(fields.field("first").orElseThrow()).satisfies(first -> {
            assertThat(first.maxLength()).isEqualTo(64);
            assertThat(first.nullAllowed()).isTrue();
        });
        assertThat(fields.field("version_number").orElseThrow().required()).isFalse();
        assertThat(fields.field("weight").orElseThrow().type()).isEqualTo(FieldType.NUMBER);
        assertThat(fields.field("source").orElseThrow().maxLength()).isEqualTo(3);
        assertThat(fields.field("day_again").orElseThrow().type()).isEqualTo(FieldType.DATE);
    }

    @Test
    void aVersionThatIsNotOneIsRejectedNamingTheField() {
        assertThat(click("{\"ts\": 0, \"name\": \"a\", \"app_version\": \"v2\"}"))
                .isEqualTo(Outcome.reject("app_version: not a version (1 to 3 dot-separated numbers) (deriving"
                        + " version_number)"));
    }

    @Test
    void withoutASchemaAnInputOfTheWrongKindIsRejected() {
        Stage<Event, Event> early = harness.processors(pipeline("early", """
                - {type: parse_json}
                - {type: derive, derive: [{field: day, date: ts}]}"""), "early");

        assertThat(early.apply(harness.event("{\"ts\": \"2026-01-01T00:00:00Z\"}")))
                .isEqualTo(Outcome.reject("ts: not a timestamp (declare it with type: timestamp in a schema before"
                        + " derive) (deriving day)"));
        assertThat(early.apply(harness.event("{\"other\": 1}"))).isInstanceOf(Outcome.Emit.class);
    }

    private void refused(String derivation, String message) {
        assertThatThrownBy(() -> harness.assemble(pipeline("bad", """
                - {type: parse_json}
                - {type: schema, fields: {ts: {type: timestamp}, name: {type: string}}}
                - type: derive
                  derive:
                    - {field: day, date: ts}
                """ + derivation.indent(4)), "bad"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void aDerivationThatNeedsAFieldTheSchemaDoesNotDeclareIsAConfigErrorAtItsKey() {
        refused("- {field: hour, hour: tss}", "user.yaml:10:27: pipelines.bad.processors[2].derive[1].hour: no"
                + " field 'tss' reaches this point (deriving hour from it; the fields here are ts, name, day)");
    }

    @Test
    void aDerivationFromAFieldOfTheWrongTypeIsAConfigErrorAtItsKey() {
        refused("- {field: hour, hour: name}", "user.yaml:10:27: pipelines.bad.processors[2].derive[1].hour: field"
                + " 'name' is a string, but deriving hour from it needs a timestamp");
        refused("- {field: v, version: day}", "user.yaml:10:24: pipelines.bad.processors[2].derive[1].version:"
                + " field 'day' is a date, but deriving v from it needs a string");
    }

    @Test
    void aDerivationMustSayExactlyOneWay() {
        refused("- {field: x, copy: ts, iso: ts}", "user.yaml:10:13: pipelines.bad.processors[2].derive[1]: x: give"
                + " exactly one of date, hour, iso, split, version, constant, processingDate, copy, time, toDouble (2"
                + " given)");
        refused("- {field: x}", "user.yaml:10:13: pipelines.bad.processors[2].derive[1]: x: give exactly one of"
                + " date, hour, iso, split, version, constant, processingDate, copy, time, toDouble (none given)");
        refused("- {copy: ts}", "user.yaml:10:13: pipelines.bad.processors[2].derive[1]: field is required: the"
                + " name of the new field");
        refused("- {field: x, iso: ts, part: 2}", "user.yaml:10:33: pipelines.bad.processors[2].derive[1].part:"
                + " part belongs to split only");
        refused("- {field: x, constant: [1]}", "user.yaml:10:24: pipelines.bad.processors[2].derive[1].constant:"
                + " constant must be a string, a number or a boolean");
        refused("- {field: x, processingDate: yes}", "user.yaml:10:24: pipelines.bad.processors[2].derive[1]"
                + ".processingDate: expected true or false, got \"yes\"");
    }

    private static final String SECONDS = pipeline("events", """
            - {type: parse_json}
            - type: schema
              fields:
                created_at: {type: number}
                name: {type: string}
            - type: derive
              derive:
                - {field: created_datetime, iso: created_at}
                - {field: year, time: created_at, pattern: yyyy}
                - {field: month, time: created_at, pattern: MM}
                - {field: day, time: created_at, pattern: dd}
                - {field: type, split: name, separator: ":"}
                - {field: subtype, split: name, separator: ":", part: 1}
                - {field: created_at, toDouble: created_at}
            """);

    @Test
    void unixSecondsGiveIsoTextWithTheFractionAsSentZeroPaddedPartsAndADouble() {
        Stage<Event, Event> events = harness.processors(SECONDS, "events");
        FlatRecord half = ((Outcome.Emit<Event>) events.apply(harness.event(
                "{\"created_at\": 1700000000.50, \"name\": \"payment:order:completed\"}"))).value().record();
        FlatRecord whole = ((Outcome.Emit<Event>) events.apply(harness.event(
                "{\"created_at\": 1704423600, \"name\": \"heartbeat\"}"))).value().record();

        assertThat(half.string("created_datetime")).isEqualTo("2023-11-14T22:13:20.50Z");
        assertThat(half.values()).containsEntry("year", "2023").containsEntry("month", "11")
                .containsEntry("day", "14").containsEntry("type", "payment").containsEntry("subtype", "order")
                .containsEntry("created_at", 1700000000.5d);
        assertThat(whole.string("created_datetime")).isEqualTo("2024-01-05T03:00:00Z");
        assertThat(whole.values()).containsEntry("month", "01").containsEntry("day", "05")
                .containsEntry("type", "heartbeat").containsEntry("subtype", null)
                .containsEntry("created_at", 1704423600d);
        assertThat(Derive.isoAsSent(new BigDecimal("1700000000.000"))).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(Derive.isoAsSent(new BigDecimal("-1.50"))).isEqualTo("1969-12-31T23:59:58.50Z");
        Fields fields = harness.fieldsAtSink(SECONDS, "events");
        assertThat(fields.field("created_at").orElseThrow().type()).isEqualTo(FieldType.DOUBLE);
        assertThat(fields.field("year").orElseThrow().type()).isEqualTo(FieldType.STRING);
    }

    @Test
    void secondsOutsideTheCalendarAreRejectedNamingTheFieldAndTheRule() {
        Stage<Event, Event> events = harness.processors(SECONDS, "events");

        assertThat(events.apply(harness.event("{\"created_at\": 1e400, \"name\": \"a\"}")))
                .isEqualTo(Outcome.reject("created_at: iso needs Unix seconds within years 0001 to 9999 (deriving"
                        + " created_datetime)"));
    }

    @Test
    void timeAndToDoubleAreCheckedBeforeAnythingStarts() {
        refused("- {field: x, time: ts}", "user.yaml:10:24: pipelines.bad.processors[2].derive[1].time: time needs"
                + " a pattern, like pattern: yyyy");
        refused("- {field: x, iso: ts, pattern: yyyy}", "user.yaml:10:33: pipelines.bad.processors[2].derive[1]"
                + ".pattern: pattern belongs to time only");
        refused("- {field: x, time: ts, pattern: 'yyyy-{'}", "user.yaml:10:34: pipelines.bad.processors[2].derive[1]"
                + ".pattern: pattern is not a date-time pattern: Pattern includes reserved character: '{'");
        refused("- {field: x, toDouble: name}", "user.yaml:10:24: pipelines.bad.processors[2].derive[1].toDouble:"
                + " field 'name' is a string, but deriving x from it needs one of number, integer, double");
        refused("- {field: x, iso: name}", "user.yaml:10:24: pipelines.bad.processors[2].derive[1].iso: field 'name'"
                + " is a string, but deriving x from it needs one of timestamp, number, integer, double");
    }
}
