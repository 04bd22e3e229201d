package dev.sluice.redis;

import java.time.Instant;
import java.util.Objects;

/**
 * A file that could not be counted (not Parquet, a column missing, a negative duration, …), kept so operators can
 * see it through the API after its message went to the dead-letter queue.
 *
 * @param bucket where the object was
 * @param key    the object key, decoded
 * @param etag   the version that was read
 * @param reason what was wrong with it: the rule, never the data
 * @param time   when it was first recorded
 */
public record FailedFile(String bucket, String key, String etag, String reason, Instant time) {

    public FailedFile {
        requireText("bucket", bucket);
        requireText("key", key);
        requireText("etag", etag);
        requireText("reason", reason);
        Objects.requireNonNull(time, "time is required");
    }

    /** The same {@code bucket/key@etag} the store uses as the done marker of a counted file. */
    public String marker() {
        return TotalsKeys.marker(bucket, key, etag);
    }

    private static void requireText(String field, String value) {
        Objects.requireNonNull(value, field + " is required");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }
}
