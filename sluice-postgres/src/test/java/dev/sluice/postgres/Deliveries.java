package dev.sluice.postgres;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;

import java.time.Instant;

/** Builds deliveries from a queue the way the SQS source would. */
final class Deliveries {

    private Deliveries() {
    }

    static Message message(String messageId, String body) {
        return new Message(body, new SourceCoordinates.Queue("test-queue", messageId, 1),
                Instant.parse("2026-01-02T03:04:05Z"), "receipt-" + messageId);
    }

    static <T> Delivery<T> delivery(String messageId, T value) {
        return new Delivery<>(message(messageId, "{}"), value);
    }
}
