package dev.sluice.redis;

import java.time.Duration;

/**
 * How long a totals store keeps what grows with every file: done markers and failure records. Without a retention
 * both grow for the life of the Redis data.
 *
 * @param doneMarkers how long a counted file's marker {@code bucket/key@etag} stays (default 30 days). A notification
 *                    of the same file version that arrives after its marker expired counts the file again, so keep it
 *                    longer than a notification can live in the queue and its dead-letter queue (SQS keeps a message
 *                    at most 14 days, and a redrive keeps its first enqueue time) plus the time you may take to
 *                    redrive; at least 1 s
 * @param failures    how long a failed file's record stays listed by the failures read (default 30 days); at least
 *                    1 s. The notification itself is in the dead-letter queue for as long as that queue keeps it
 */
public record TotalsRetention(Duration doneMarkers, Duration failures) {

    public static final Duration DEFAULT_DONE_MARKERS = Duration.ofDays(30);
    public static final Duration DEFAULT_FAILURES = Duration.ofDays(30);
    public static final TotalsRetention DEFAULTS = new TotalsRetention(null, null);

    public TotalsRetention {
        doneMarkers = atLeastASecond("retention.doneMarkers", doneMarkers, DEFAULT_DONE_MARKERS);
        failures = atLeastASecond("retention.failures", failures, DEFAULT_FAILURES);
    }

    private static Duration atLeastASecond(String field, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(field + " must be at least 1s, was " + value);
        }
        return value;
    }
}
