package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.engine.Outcome;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class JsonObjectParserTest {

    private final JsonObjectParser parser = new JsonObjectParser(65_536);

    @Test
    void parsesAnObject() {
        Outcome<ObjectNode> outcome = parser.apply("{\"user_id\": \"u1\", \"n\": 1.10}");

        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
        ObjectNode object = ((Outcome.Emit<ObjectNode>) outcome).value();
        assertThat(object.get("user_id").stringValue()).isEqualTo("u1");
        assertThat(object.get("n").decimalValue()).hasToString("1.10");
    }

    @Test
    void rejectsABodyOverTheLimitInUtf8Bytes() {
        assertThat(parser.apply("{\"a\":\"" + "x".repeat(69_992) + "\"}"))
                .isEqualTo(Outcome.reject("body: 70000 bytes exceeds the limit of 65536"));
        // 30000 chars of 3 bytes each: under the limit in chars, over it in bytes
        assertThat(parser.apply("{\"a\":\"" + "€".repeat(30_000) + "\"}"))
                .isEqualTo(Outcome.reject("body: 90008 bytes exceeds the limit of 65536"));
        // a surrogate pair is 4 bytes, not 6
        assertThat(JsonObjectParser.utf8Length("😀".repeat(30_000), 1)).isEqualTo(120_000);
    }

    @Test
    void rejectsMalformedJsonWithThePositionAndWithoutTheInput() {
        Outcome<ObjectNode> outcome = parser.apply("{\"ip\": secret-value}");

        assertThat(outcome).isEqualTo(Outcome.reject("body: not valid JSON (line 1, column 8)"));
    }

    @Test
    void rejectsTruncatedJsonOnALaterLine() {
        assertThat(parser.apply("{\n\"a\": 1,\n\"b\": ")).isInstanceOfSatisfying(Outcome.Reject.class,
                reject -> assertThat(reject.reason()).startsWith("body: not valid JSON (line 3, column"));
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertThat(parser.apply("[1, 2]")).isEqualTo(Outcome.reject("body: expected a JSON object, got an array"));
        assertThat(parser.apply("42")).isEqualTo(Outcome.reject("body: expected a JSON object, got a number"));
        assertThat(parser.apply("\"hi\"")).isEqualTo(Outcome.reject("body: expected a JSON object, got a string"));
        assertThat(parser.apply("true")).isEqualTo(Outcome.reject("body: expected a JSON object, got a boolean"));
        assertThat(parser.apply("null")).isEqualTo(Outcome.reject("body: expected a JSON object, got null"));
    }

    @Test
    void rejectsAnEmptyBody() {
        assertThat(parser.apply("")).isEqualTo(Outcome.reject("body: empty, expected a JSON object"));
        assertThat(parser.apply(" \n")).isEqualTo(Outcome.reject("body: empty, expected a JSON object"));
    }

    @Test
    void rejectsADuplicateKeyInsteadOfKeepingEitherValue() {
        assertThat(parser.apply("{\"ip\": \"1.2.3.4\", \"ip\": \"5.6.7.8\"}"))
                .isInstanceOfSatisfying(Outcome.Reject.class, reject -> assertThat(reject.reason())
                        .startsWith("body: a key appears twice in one object (line 1")
                        .doesNotContain("1.2.3.4", "5.6.7.8"));
    }

    @Test
    void rejectsASecondValueAfterTheObject() {
        assertThat(parser.apply("{\"a\": 1} {\"b\": 2}")).isInstanceOfSatisfying(Outcome.Reject.class,
                reject -> assertThat(reject.reason()).startsWith("body: more than one JSON value"));
    }
}
