package dev.sluice.pipelines.tracking;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the raw archiver rolls events into gzip NDJSON files ({@code pipelines.tracking.archive}).
 *
 * @param prefix        key prefix of raw files (default {@value #DEFAULT_PREFIX}); files go to
 *                      {@code <prefix>dt=YYYY-MM-DD/HHMMSS-<uuid>.json.gz}. Empty, or ending in {@code /}; never
 *                      starting with one
 * @param maxEvents     a file is stored once it holds this many events (default 10,000; at least 1)
 * @param maxBytes      ... or this many uncompressed bytes (default 64 MB; at least 1 KB)
 * @param maxAge        ... or when its first event has waited this long (default 60 s; positive)
 * @param workDirectory where the open file and files waiting to be stored are written, so memory stays bounded
 *                      whatever the file size; created if missing and checked writable at start (default: a new
 *                      temporary directory per run)
 */
public record TrackingArchiveSettings(String prefix, Integer maxEvents, Long maxBytes, Duration maxAge,
                                      Path workDirectory) {
    public static final String DEFAULT_PREFIX = "tracking-raw/";
    public static final long MIN_MAX_BYTES = 1024;
    public static final TrackingArchiveSettings DEFAULTS = new TrackingArchiveSettings(null, null, null, null, null);

    public TrackingArchiveSettings {
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
        if (prefix.startsWith("/") || !prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must be empty or end with '/', and must not start with '/', "
                    + "was '" + prefix + "'");
        }
        maxEvents = maxEvents == null ? 10_000 : maxEvents;
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
        }
        maxBytes = maxBytes == null ? 64L * 1024 * 1024 : maxBytes;
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at least " + MIN_MAX_BYTES + " (1 KB), was "
                    + maxBytes);
        }
        maxAge = maxAge == null ? Duration.ofSeconds(60) : maxAge;
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
    }
}
