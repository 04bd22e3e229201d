package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseTimestamps;

import dev.sluice.pipelines.warehouse.WarehouseTimestamps;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.JsonKinds;
import dev.sluice.core.json.JsonObjectParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the raw archiver requires of a tracking event, and no more: the body is one JSON object (see
 * {@link JsonObjectParser}) with non-empty strings {@code id}, {@code event} and {@code timestamp}, the timestamp in a
 * format {@link WarehouseTimestamps} reads, and {@code sent_at}, {@code received_at} and {@code original_timestamp}
 * readable too when present and not null. Types and lengths of the other fields are the warehouse loader's business,
 * which records a bad line by file and line number. A reject lists every broken rule, naming fields, never values.
 *
 * <p>The event is passed on as one compact NDJSON line: the body itself when it has no line break, so the raw file
 * holds exactly what was sent, else the object written again compactly (a pretty-printed body).
 *
 * <pre>{@code
 * Stage<Message, ArchivedEvent> check = new TrackingEventCheck();
 * Outcome<ArchivedEvent> outcome = check.apply(message);
 * }</pre>
 */
public final class TrackingEventCheck implements Stage<Message, ArchivedEvent> {

    private static final List<String> REQUIRED = List.of("id", "event", "timestamp");
    private static final List<String> OPTIONAL_TIMES = List.of("sent_at", "received_at", "original_timestamp");
    private static final JsonMapper COMPACT = JsonMapper.builder().build();

    private final JsonObjectParser parser = new JsonObjectParser();

    @Override
    public Outcome<ArchivedEvent> apply(Message message) {
        return switch (parser.apply(message.body())) {
            case Outcome.Emit<ObjectNode> object -> check(message.body(), object.value());
            case Outcome.Drop<ObjectNode> drop -> Outcome.drop(drop.why());
            case Outcome.Reject<ObjectNode> reject -> Outcome.reject(reject.reason());
        };
    }

    private static Outcome<ArchivedEvent> check(String body, ObjectNode event) {
        List<String> problems = new ArrayList<>();
        for (String field : REQUIRED) {
            JsonNode node = event.get(field);
            if (node == null) {
                problems.add(field + ": required field is missing");
            } else if (!node.isString() || node.asString().isEmpty()) {
                problems.add(field + ": must be a non-empty string, got "
                        + (node.isString() ? "an empty string" : JsonKinds.describe(node)));
            }
        }
        JsonNode time = event.get("timestamp");
        Instant timestamp = time != null && time.isString() && !time.asString().isEmpty()
                ? readTime("timestamp", time.asString(), problems) : null;
        for (String field : OPTIONAL_TIMES) {
            JsonNode node = event.get(field);
            if (node == null || node.isNull()) {
                continue;
            }
            if (node.isString()) {
                readTime(field, node.asString(), problems);
            } else {
                problems.add(field + ": must be a string when present, got " + JsonKinds.describe(node));
            }
        }
        if (!problems.isEmpty()) {
            return Outcome.reject(String.join("; ", problems));
        }
        String line = body.indexOf('\n') < 0 && body.indexOf('\r') < 0 ? body : COMPACT.writeValueAsString(event);
        return Outcome.emit(new ArchivedEvent(line, timestamp));
    }

    /** The time in {@code text}, or null with the problem noted. */
    private static Instant readTime(String field, String text, List<String> problems) {
        try {
            return WarehouseTimestamps.parseInstant(field, text);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }
}
