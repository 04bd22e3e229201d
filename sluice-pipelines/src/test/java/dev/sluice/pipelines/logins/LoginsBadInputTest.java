package dev.sluice.pipelines.logins;

import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad-input rule of the logins contract: each bad body gives exactly one {@code login_errors} row with its
 * raw body and a reason naming the field and the rule, its message is deleted, and the good messages sent around
 * it still land.
 */
@OnEachPostgres
class LoginsBadInputTest {
    @Parameter
    TestDatabase database;

    private static String login(String userId, String appVersion, String ip) {
        return "{\"user_id\": " + userId + ", \"app_version\": " + appVersion + ", \"device_type\": \"ios\", "
                + "\"ip\": " + ip + ", \"locale\": \"DE\", \"device_id\": \"123-45-6789\"}";
    }

    private static String valid(String appVersion) {
        return login("\"u\"", "\"" + appVersion + "\"", "\"10.0.0.1\"");
    }

    /** Bad body → the exact reason the error row must carry. */
    private static Map<String, String> badBodies() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("this is not json", "body: not valid JSON (line 1, column 1)");
        bad.put("[1, 2, 3]", "body: expected a JSON object, got an array");
        bad.put("42", "body: expected a JSON object, got a number");
        bad.put("\"a string\"", "body: expected a JSON object, got a string");
        bad.put("{\"user_id\": \"u\", \"app_version\": \"1.0\", \"device_type\": \"ios\", \"ip\": \"10.0.0.1\", "
                + "\"locale\": null}", "device_id: required field is missing");
        bad.put(login("12345", "\"1.0\"", "\"10.0.0.2\""), "user_id: expected a string, got a number");
        bad.put(login("\"u\"", "\"1.0\"", "{\"v4\": \"10.0.0.3\"}"), "ip: expected a string, got an object");
        bad.put(login("null", "\"1.0\"", "\"10.0.0.4\""), "user_id: must not be null");
        bad.put(login("\"u\"", "\"1.0\"", "\"256.1.1.1\""), "ip: not an IPv4 or IPv6 address");
        bad.put(login("\"u\"", "\"1.0\"", "\"10.0.0.1.5\""), "ip: not an IPv4 or IPv6 address");
        bad.put(valid("abc"), "app_version: not a version (1 to 3 dot-separated numbers)");
        bad.put(valid(""), "app_version: not a version (1 to 3 dot-separated numbers)");
        bad.put(valid("1.2.3.4.5"), "app_version: not a version (1 to 3 dot-separated numbers)");
        bad.put(valid("99999999.1"), "app_version: major part exceeds 2146");
        bad.put("{\"foo\": \"oops_wrong_msg_type\", \"bar\": \"123\"}", "user_id: required field is missing");
        bad.put("{\"user_id\": \"" + "x".repeat(70_000) + "\"}", "body: 70015 bytes exceeds the limit of 65536");
        bad.put("{\"user_id\": \"a\", \"user_id\": \"b\"}", "body: a key appears twice in one object (line 1");
        bad.put("{\"device_type\": \"ios\", \"device\": {\"type\": \"android\"}}",
                "device_type: the keys device_type and device.type both flatten to this name");
        bad.put("{\"a\\u0000\": {\"b\": 1}, \"a\\u0000_b\": 2}",
                "a?_b: the keys a?.b and a?_b both flatten to this name");
        // 100 three-byte characters: within 128 characters, but too long for an siv token in varchar(256).
        bad.put("{\"user_id\": \"u\", \"app_version\": \"1.0\", \"device_type\": \"ios\", \"ip\": \"10.0.0.5\", "
                + "\"locale\": null, \"device_id\": \"" + "設".repeat(100) + "\"}",
                "device_id: value is 300 bytes in UTF-8; siv tokens fit 256 characters only for values up to 166 bytes");
        return bad;
    }

    @Test
    void eachBadInputGivesOneErrorRowWithItsReasonAndNothingIsLost() {
        Map<String, String> bad = badBodies();
        List<String> bodies = new ArrayList<>();
        int good = 0;
        for (String body : bad.keySet()) {
            bodies.add(body);
            bodies.add(valid("1." + good++));
        }
        try (LoginsHarness h = new LoginsHarness(database.settings())) {
            h.start();
            h.send(bodies);
            h.awaitHandled(bodies.size());

            assertThat(h.rows()).isEqualTo(good);
            Map<String, String> stored = new LinkedHashMap<>();
            h.query("SELECT raw_body, reason FROM login_errors", rs -> stored.put(rs.getString(1), rs.getString(2)));
            assertThat(stored).hasSize(bad.size());
            bad.forEach((body, reason) -> assertThat(stored.get(body)).as("reason for %s",
                    body.length() > 80 ? body.substring(0, 80) + "…" : body).startsWith(reason));
            assertThat(h.queueDepth()).isZero();
        }
    }

    @Test
    void unicodeAndSqlMetacharactersAreStoredVerbatim() {
        String userId = "Ünïcødé 用户 🚀 '; DROP TABLE user_logins; -- \\\" $$ %_";
        String deviceType = "ios'--";
        String body = "{\"user_id\": \"Ünïcødé 用户 🚀 '; DROP TABLE user_logins; -- \\\\\\\" $$ %_\", "
                + "\"app_version\": \"2.0\", \"device_type\": \"ios'--\", \"ip\": \"::1\", \"locale\": \"ü\", "
                + "\"device_id\": \"ḑévïçé\"}";
        try (LoginsHarness h = new LoginsHarness(database.settings())) {
            h.start();
            h.send(List.of(body));
            h.awaitHandled(1);

            assertThat(h.errorRows()).isZero();
            assertThat(h.query("SELECT user_id, device_type, locale FROM user_logins",
                    rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3))))
                    .containsExactly(List.of(userId, deviceType, "ü"));
        }
    }
}
