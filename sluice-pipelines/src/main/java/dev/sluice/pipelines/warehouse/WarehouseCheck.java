package dev.sluice.pipelines.warehouse;

import dev.sluice.core.json.JsonKinds;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code warehouse_check}: what a raw archive requires of an event before it stores it for {@code warehouse_load},
 * and no more: the {@code required} fields are non-empty strings, and each of the {@code times} fields, when present
 * and not null, is a time {@link WarehouseTimestamps} reads (naive UTC or ISO 8601 with an offset). The other fields'
 * types and lengths are the load's business, which records a bad line by file and line number. A reject lists every
 * broken rule, naming fields, never values. The event passes on unchanged: a raw archive writes the body as sent.
 */
public final class WarehouseCheck implements Processor {

    /**
     * @param required fields that must be non-empty strings; at least one
     * @param times    fields that must be a time the load reads when present and not null (a required one must be
     *                 present); default none
     */
    public record Settings(List<String> required, List<String> times) {
        public Settings {
            if (required == null || required.isEmpty()) {
                throw new IllegalArgumentException("required must list at least one field, like required: [id]");
            }
            required = List.copyOf(required);
            times = times == null ? List.of() : List.copyOf(times);
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("warehouse_check", Settings.class,
            "required fields are non-empty strings and times are readable by warehouse_load; the event passes on as is",
            (settings, context) -> new WarehouseCheck(settings));

    private final List<String> required;
    private final Set<String> requiredSet;
    private final List<String> times;

    WarehouseCheck(Settings settings) {
        this.required = settings.required();
        this.requiredSet = new HashSet<>(settings.required());
        this.times = settings.times();
    }

    @Override
    public Outcome<Event> apply(Event event) {
        List<String> problems = new ArrayList<>();
        for (String field : required) {
            JsonNode node = value(event, field);
            if (node == null) {
                problems.add(field + ": required field is missing");
            } else if (!node.isString() || node.asString().isEmpty()) {
                problems.add(field + ": must be a non-empty string, got "
                        + (node.isString() ? "an empty string" : JsonKinds.describe(node)));
            }
        }
        for (String field : times) {
            JsonNode node = value(event, field);
            if (requiredSet.contains(field)) {
                // Its presence and kind are reported above; only a non-empty string is read as a time.
                if (node != null && node.isString() && !node.asString().isEmpty()) {
                    readTime(field, node.asString(), problems);
                }
            } else if (node != null && !node.isNull()) {
                if (node.isString()) {
                    readTime(field, node.asString(), problems);
                } else {
                    problems.add(field + ": must be a string when present, got " + JsonKinds.describe(node));
                }
            }
        }
        return problems.isEmpty() ? Outcome.emit(event) : Outcome.reject(String.join("; ", problems));
    }

    private static JsonNode value(Event event, String field) {
        return event.record().values().get(field) instanceof JsonNode node ? node : null;
    }

    private static void readTime(String field, String text, List<String> problems) {
        try {
            WarehouseTimestamps.parseInstant(field, text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
