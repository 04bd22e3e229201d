package dev.sluice.pipelines.dailycounts;

import java.time.Duration;
import java.util.List;

/**
 * The {@code daily_counts} routes: the latest charts and numbers a {@code daily_counts} job stored, served behind
 * the token (docs/plugins/daily_counts.md). Write the bucket, prefix and events as the job has them.
 *
 * @param bucket    where the job stores the charts (required)
 * @param prefix    their folder (default {@value DailyCountsSettings#DEFAULT_PREFIX})
 * @param events    the report events, in the order {@code /events} lists them (required); any other is unknown
 * @param path      where the routes are mounted, {@code /api/} and lower-case segments (default
 *                  {@code /api/<pipeline>})
 * @param readCache how long what was found is kept before the bucket is listed again (default 10 seconds; not
 *                  negative)
 */
public record DailyCountsRoutesSettings(String bucket, String prefix, List<String> events, String path,
                                        Duration readCache) {

    public DailyCountsRoutesSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket is required: where the daily_counts job stores the charts");
        }
        prefix = DailyCountsSettings.checkedPrefix(prefix);
        events = DailyCountsSettings.checkedEvents(events);
        if (path != null && !path.matches("/api(/[a-z0-9_-]+)+")) {
            throw new IllegalArgumentException("path must be /api/ and lower-case segments of a-z, 0-9, _ or -, was '"
                    + path + "'");
        }
        readCache = readCache == null ? Duration.ofSeconds(10) : readCache;
        if (readCache.isNegative()) {
            throw new IllegalArgumentException("readCache must not be negative, got " + readCache);
        }
    }
}
