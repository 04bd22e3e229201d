package dev.sluice.server;

import dev.sluice.redis.FailedFile;
import dev.sluice.redis.RejectedNotification;
import dev.sluice.redis.TopUsers;
import dev.sluice.redis.UsersPage;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The JSON documents of the playtime API, written member by member with Jackson's generator: the order of users
 * (natural within a page, largest total first in the leaderboard) and of members is part of the contract, and
 * writing directly keeps it independent of any mapper setting (Jackson 3 sorts record properties alphabetically by
 * default).
 */
final class PlaytimeJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private PlaytimeJson() {
    }

    /** {@code {"users":{"user_1":{"battle":1933,…,"total":5577},…},"total_playtime":N}}, users as the page has them */
    static byte[] users(UsersPage page) {
        // About 70 bytes a user; sized up front so a large page is not copied while it grows.
        return write(64 + 80 * page.users().size(), json -> {
            json.writeStartObject();
            users(json, page.users());
            json.writeNumberProperty("total_playtime", page.total());
            json.writeEndObject();
        });
    }

    /** {@code {"users":{…largest total first…},"total_playtime":N,"users_count":M}} */
    static byte[] top(TopUsers top) {
        return write(128 + 80 * top.users().size(), json -> {
            json.writeStartObject();
            users(json, top.users());
            json.writeNumberProperty("total_playtime", top.total());
            json.writeNumberProperty("users_count", top.usersCount());
            json.writeEndObject();
        });
    }

    private static void users(JsonGenerator json, Map<String, Map<String, Long>> users) {
        json.writeName("users");
        json.writeStartObject();
        for (Map.Entry<String, Map<String, Long>> user : users.entrySet()) {
            json.writeName(user.getKey());
            amounts(json, user.getValue());
        }
        json.writeEndObject();
    }

    /** {@code {"user":"user_1","playtime":{"battle":…,"total":…}}} */
    static byte[] user(String id, Map<String, Long> amounts) {
        return write(256, json -> {
            json.writeStartObject();
            json.writeStringProperty("user", id);
            json.writeName("playtime");
            amounts(json, amounts);
            json.writeEndObject();
        });
    }

    /** {@code [{"bucket":…,"key":…,"etag":…,"reason":…,"time":"2024-05-01T12:00:00Z"},…]} */
    static byte[] failures(List<FailedFile> failures) {
        return records(failures, 200, failed -> List.of("bucket", failed.bucket(), "key", failed.key(),
                "etag", failed.etag(), "reason", failed.reason(), "time", failed.time().toString()));
    }

    /** {@code [{"message":"sqs:<queue>/<id>","reason":…,"body":…,"time":"2024-05-01T12:00:00Z"},…]} */
    static byte[] rejects(List<RejectedNotification> rejects) {
        return records(rejects, 400, reject -> List.of("message", reject.message(), "reason", reject.reason(),
                "body", reject.body(), "time", reject.time().toString()));
    }

    /** An array of objects of string members, in the order {@code fields} gives them: name, value, name, value… */
    private static <T> byte[] records(List<T> records, int bytesEach, Function<T, List<String>> fields) {
        return write(256 + bytesEach * records.size(), json -> {
            json.writeStartArray();
            for (T record : records) {
                json.writeStartObject();
                List<String> members = fields.apply(record);
                for (int i = 0; i + 1 < members.size(); i += 2) {
                    json.writeStringProperty(members.get(i), members.get(i + 1));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static void amounts(JsonGenerator json, Map<String, Long> amounts) {
        json.writeStartObject();
        for (Map.Entry<String, Long> amount : amounts.entrySet()) {
            json.writeNumberProperty(amount.getKey(), amount.getValue().longValue());
        }
        json.writeEndObject();
    }

    private static byte[] write(int sizeHint, Consumer<JsonGenerator> document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            document.accept(json);
        }
        return out.toByteArray();
    }
}
