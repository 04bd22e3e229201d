package dev.sluice.redis;

import java.time.Instant;

/**
 * A notification the playtime pipeline rejected (malformed JSON, no {@code Records}, a record without bucket, key or
 * ETag; or naming a file that could not be counted), kept with its raw body so operators can see it through the API
 * while the message itself waits in the dead-letter queue.
 *
 * @param message where it came from, {@code sqs:<queue>/<message id>}: one record per message, however often it was
 *                delivered
 * @param reason  the rule it broke, never the data
 * @param body    the message body exactly as it arrived
 * @param time    when it was first rejected
 */
public record RejectedNotification(String message, String reason, String body, Instant time) {

    public RejectedNotification {
        if (message == null || reason == null || body == null || time == null) {
            throw new NullPointerException("message, reason, body and time are all required");
        }
    }
}
