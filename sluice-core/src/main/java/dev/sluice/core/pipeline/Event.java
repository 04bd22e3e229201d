package dev.sluice.core.pipeline;

import dev.sluice.core.engine.Message;
import dev.sluice.core.json.FlatRecord;
import java.util.Map;
import java.util.Objects;

/**
 * The one value that travels through a pipeline's processors to its sink: the record built so far and the message
 * it came from. The message gives the body to parse and the coordinates that are the record's natural key; the
 * record starts empty and each processor returns a changed copy ({@link #with}).
 *
 * <p>{@link #toString()} shows field names only: records hold personal data until they are masked.
 *
 * @param message where the record came from (body, coordinates, receipt)
 * @param record  the fields so far
 */
public record Event(Message message, FlatRecord record) {

    private static final FlatRecord EMPTY = new FlatRecord(Map.of());

    public Event {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(record, "record");
    }

    /** A message as it enters the processors: no fields yet. */
    public static Event of(Message message) {
        return new Event(message, EMPTY);
    }

    /** The same message with other fields. */
    public Event with(FlatRecord fields) {
        return new Event(message, fields);
    }

    @Override
    public String toString() {
        return "Event[" + message.coordinates().describe() + ", " + record + "]";
    }
}
