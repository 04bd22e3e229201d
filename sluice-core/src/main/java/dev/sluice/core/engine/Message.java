package dev.sluice.core.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * One unit of work from a source: the raw payload, where it came from, and the handle the source needs to
 * acknowledge it.
 *
 * @param body        the raw payload as the source delivered it
 * @param coordinates PII-free source coordinates; their message id is the natural key of everything derived
 * @param sentAt      when the producer sent it, for end-to-end latency; the receive time when the source cannot tell
 * @param receipt     opaque acknowledgement handle (SQS receipt handle, Kinesis sequence number)
 */
public record Message(String body, SourceCoordinates coordinates, Instant sentAt, String receipt) {
    public Message {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(coordinates, "coordinates");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(receipt, "receipt");
    }
}
