package dev.sluice.core.dedupe;

import java.time.Instant;
import java.util.Objects;

/**
 * An event's identity for deduplication: its key (the lake's {@code event_uuid}) and its event time, which decides
 * how long the key is remembered.
 */
public record SeenEvent(String key, Instant eventTime) {
    public SeenEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eventTime, "eventTime");
    }
}
