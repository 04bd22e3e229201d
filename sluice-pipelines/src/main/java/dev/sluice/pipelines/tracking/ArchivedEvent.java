package dev.sluice.pipelines.tracking;

import java.time.Instant;
import java.util.Objects;

/**
 * One checked tracking event on its way into a raw file.
 *
 * @param line      the event as one compact JSON line, without its line break
 * @param timestamp the event's {@code timestamp} field, as an instant
 */
public record ArchivedEvent(String line, Instant timestamp) {
    public ArchivedEvent {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(timestamp, "timestamp");
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an archived event is one line, without line breaks");
        }
    }
}
