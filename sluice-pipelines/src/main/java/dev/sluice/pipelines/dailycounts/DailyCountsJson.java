package dev.sluice.pipelines.dailycounts;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of {@link DailyCounts}, the same in the bucket (next to each chart) and on the
 * {@code daily_counts} routes' {@code /daily}, each day's groups in order after {@code day}:
 * <pre>{@code
 * {"event":"submission_success","generated_at":"2026-11-22T18:00:00Z",
 *  "days":[{"day":"2026-11-21","android":12,"ios":7,"other":0},…]}
 * }</pre>
 */
public final class DailyCountsJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private DailyCountsJson() {
    }

    public static byte[] write(DailyCounts counts) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("event", counts.event());
        root.put("generated_at", counts.generatedAt().toString());
        ArrayNode days = root.putArray("days");
        for (DailyCounts.Day day : counts.days()) {
            ObjectNode node = days.addObject().put("day", day.day().toString());
            day.counts().forEach(node::put);
        }
        return MAPPER.writeValueAsBytes(root);
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IllegalArgumentException when the document is not in that shape (the message names the field)
     */
    public static DailyCounts read(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("daily counts: not JSON", e);
        }
        List<DailyCounts.Day> days = new ArrayList<>();
        for (JsonNode day : required(root, "days")) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String group : day.propertyNames()) {
                if (!group.equals("day")) {
                    counts.put(group, count(day, group));
                }
            }
            days.add(new DailyCounts.Day(LocalDate.parse(required(day, "day").asString()), counts));
        }
        return new DailyCounts(required(root, "event").asString(),
                Instant.parse(required(root, "generated_at").asString()), days);
    }

    private static long count(JsonNode day, String field) {
        JsonNode value = required(day, field);
        if (!value.canConvertToLong()) {
            throw new IllegalArgumentException("daily counts: " + field + " must be an integer");
        }
        return value.asLong();
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("daily counts: " + field + " is missing");
        }
        return value;
    }
}
