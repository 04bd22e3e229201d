package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSchemaTest {

    /** The login body of DESIGN §1.1. */
    static final RecordSchema LOGIN = RecordSchema.of(
            FieldSpec.string("user_id").maxLength(128),
            FieldSpec.string("app_version").format(VersionNumber.FORMAT),
            FieldSpec.string("device_type").maxLength(32),
            FieldSpec.string("ip").format(IpAddressFormat.INSTANCE),
            FieldSpec.string("locale").nullable().maxLength(32),
            FieldSpec.string("device_id").maxLength(128));

    private static final Stage<String, FlatRecord> LOGINS =
            new JsonObjectParser(65_536).then(new Flattener()).then(LOGIN);

    @Test
    void acceptsALoginAndConvertsItToJavaValues() {
        Outcome<FlatRecord> outcome = LOGINS.apply("""
                {"user_id": "u1", "app_version": "2.3.0", "device": {"type": "android"}, "ip": "::1",
                 "locale": null, "device_id": "593-47-5928", "extra": [1, 2]}""");

        FlatRecord record = ((Outcome.Emit<FlatRecord>) outcome).value();
        assertThat(record.values().keySet())
                .containsExactly("user_id", "app_version", "device_type", "ip", "locale", "device_id");
        assertThat(record.string("device_type")).isEqualTo("android");
        assertThat(record.has("locale")).isTrue();
        assertThat(record.string("locale")).isNull();
        assertThat(record.toString()).doesNotContain("u1", "593-47-5928");
    }

    @Test
    void reportsEveryViolationInFieldOrderWithoutValues() {
        Outcome<FlatRecord> outcome = LOGINS.apply("""
                {"user_id": 42, "app_version": "1..2", "device_type": "%s", "ip": {"v4": "1.2.3.4"},
                 "locale": null, "device_id": null}""".formatted("x".repeat(33)));

        assertThat(outcome).isEqualTo(Outcome.reject("user_id: expected a string, got a number; "
                + "app_version: not a version (1 to 3 dot-separated numbers); "
                + "device_type: longer than 32 characters; "
                + "ip: required field is missing; "
                + "device_id: must not be null"));
    }

    @Test
    void anObjectWhereAStringBelongsIsNamedAsSuchWhenNotFlattenedAway() {
        Outcome<FlatRecord> outcome = LOGIN.apply(java.util.Map.of(
                "user_id", tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                "app_version", tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("1.0"),
                "device_type", tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("ios"),
                "ip", tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode(),
                "locale", tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("FR"),
                "device_id", tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("d")));

        assertThat(outcome).isEqualTo(Outcome.reject(
                "user_id: expected a string, got an object; ip: expected a string, got an array"));
    }

    @Test
    void typesIntegersNumbersAndBooleans() {
        RecordSchema schema = RecordSchema.of(FieldSpec.of("count", FieldType.INTEGER),
                FieldSpec.of("ratio", FieldType.NUMBER), FieldSpec.of("ok", FieldType.BOOLEAN),
                FieldSpec.of("maybe", FieldType.INTEGER).optional());
        Stage<String, FlatRecord> stage = new JsonObjectParser().then(new Flattener()).then(schema);

        FlatRecord record = ((Outcome.Emit<FlatRecord>) stage.apply("{\"count\":7,\"ratio\":0.1,\"ok\":true}")).value();
        assertThat(record.integer("count")).isEqualTo(7L);
        assertThat(record.number("ratio")).isEqualTo(new BigDecimal("0.1"));
        assertThat(record.bool("ok")).isTrue();
        assertThat(record.has("maybe")).isFalse();

        assertThat(stage.apply("{\"count\":1.0,\"ratio\":\"1\",\"ok\":1,\"maybe\":99999999999999999999}"))
                .isEqualTo(Outcome.reject("count: expected an integer, got a decimal number; "
                        + "ratio: expected a number, got a string; ok: expected a boolean, got a number; "
                        + "maybe: integer out of range (more than 64 bits)"));
    }

    @Test
    void refusesABadDeclaration() {
        assertThatThrownBy(() -> RecordSchema.of(FieldSpec.string("a"), FieldSpec.string("a")))
                .hasMessage("field a is declared twice");
        assertThatThrownBy(() -> FieldSpec.of("n", FieldType.INTEGER).maxLength(3))
                .hasMessage("n: maxLength and format apply to STRING fields only");
    }

    @Test
    void theLoginFixtureGives99RecordsAndOneRejectThatTellsTheWholeStory() throws Exception {
        Path fixture = Path.of(System.getProperty("sluice.fixtures"), "logins", "login-queue-bodies.ndjson");
        List<String> lines = Files.readAllLines(fixture);
        List<FlatRecord> records = new ArrayList<>();
        List<String> rejects = new ArrayList<>();
        for (String line : lines) {
            switch (LOGINS.apply(line)) {
                case Outcome.Emit<FlatRecord> emit -> records.add(emit.value());
                case Outcome.Reject<FlatRecord> reject -> rejects.add(reject.reason());
                case Outcome.Drop<FlatRecord> drop -> throw new AssertionError("unexpected drop: " + drop.why());
            }
        }

        assertThat(records).hasSize(99);
        // the fixtures README says 30; the file has 29 null locales (grep -c '"locale": null')
        assertThat(records.stream().filter(r -> r.string("locale") == null)).hasSize(29);
        assertThat(rejects).containsExactly("user_id: required field is missing; "
                + "app_version: required field is missing; device_type: required field is missing; "
                + "ip: required field is missing; locale: required field is missing; "
                + "device_id: required field is missing");
    }
}
