package dev.sluice.redis;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON documents of the {@code totals} read routes, written member by member with Jackson's generator: the
 * order of groups (natural within a page, largest total first in the leaderboard) and of members is part of the
 * contract, and writing directly keeps it independent of any mapper setting (Jackson 3 sorts record properties
 * alphabetically by default). The member names are the routes' settings ({@link TotalsRoutesSettings.Names});
 * with {@code cursor: header} a page carries no {@code next} member and lists of records are bare arrays.
 *
 * @param names      the member names
 * @param group      the member that names the group in a one-group document ({@code user})
 * @param nextInBody whether a page's next cursor is a member ({@code next}) rather than a header
 */
public record TotalsJson(TotalsRoutesSettings.Names names, String group, boolean nextInBody) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public TotalsJson {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(group, "group");
    }

    /** {@code {"users":{"user_1":{"battle":1933,…,"total":5577},…},"total_playtime":N[,"next":C]}} */
    public byte[] page(UsersPage page) {
        // About 70 bytes a group; sized up front so a large page is not copied while it grows.
        return write(64 + 80 * page.users().size(), json -> {
            json.writeStartObject();
            groups(json, page.users());
            json.writeNumberProperty(names.total(), page.total());
            if (nextInBody) {
                json.writeName("next");
                json.writeString(page.next().orElse(null));
            }
            json.writeEndObject();
        });
    }

    /** {@code {"users":{…largest total first…},"total_playtime":N,"users_count":M}} */
    public byte[] top(TopUsers top) {
        return write(128 + 80 * top.users().size(), json -> {
            json.writeStartObject();
            groups(json, top.users());
            json.writeNumberProperty(names.total(), top.total());
            json.writeNumberProperty(names.count(), top.usersCount());
            json.writeEndObject();
        });
    }

    /** {@code {"user":"user_1","playtime":{"battle":…,"total":…}}} */
    public byte[] group(String id, Map<String, Long> sums) {
        return write(256, json -> {
            json.writeStartObject();
            json.writeStringProperty(group, id);
            json.writeName(names.sums());
            sums(json, sums);
            json.writeEndObject();
        });
    }

    /** {@code [{"bucket":…,"key":…,"etag":…,"reason":…,"time":"2024-05-01T12:00:00Z"},…]}, in a page. */
    public byte[] failures(Page<FailedFile> page) {
        return records("failures", page, 200, failed -> List.of("bucket", failed.bucket(), "key", failed.key(),
                "etag", failed.etag(), "reason", failed.reason(), "time", failed.time().toString()));
    }

    /** {@code [{"message":"sqs:<queue>/<id>","reason":…,"body":…,"time":"2024-05-01T12:00:00Z"},…]}, in a page. */
    public byte[] rejects(Page<RejectedNotification> page) {
        return records("rejects", page, 400, reject -> List.of("message", reject.message(), "reason",
                reject.reason(), "body", reject.body(), "time", reject.time().toString()));
    }

    private void groups(JsonGenerator json, Map<String, Map<String, Long>> groups) {
        json.writeName(names.groups());
        json.writeStartObject();
        for (Map.Entry<String, Map<String, Long>> group : groups.entrySet()) {
            json.writeName(group.getKey());
            sums(json, group.getValue());
        }
        json.writeEndObject();
    }

    /**
     * An array of objects of string members, in the order {@code fields} gives them (name, value, name, value…):
     * bare, or as {@code {"<member>":[…],"next":C}} when the cursor is in the body.
     */
    private <T> byte[] records(String member, Page<T> page, int bytesEach, Function<T, List<String>> fields) {
        return write(256 + bytesEach * page.items().size(), json -> {
            if (nextInBody) {
                json.writeStartObject();
                json.writeName(member);
            }
            json.writeStartArray();
            for (T record : page.items()) {
                json.writeStartObject();
                List<String> members = fields.apply(record);
                for (int i = 0; i + 1 < members.size(); i += 2) {
                    json.writeStringProperty(members.get(i), members.get(i + 1));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (nextInBody) {
                json.writeName("next");
                json.writeString(page.next().orElse(null));
                json.writeEndObject();
            }
        });
    }

    private static void sums(JsonGenerator json, Map<String, Long> sums) {
        json.writeStartObject();
        for (Map.Entry<String, Long> sum : sums.entrySet()) {
            json.writeNumberProperty(sum.getKey(), sum.getValue().longValue());
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
