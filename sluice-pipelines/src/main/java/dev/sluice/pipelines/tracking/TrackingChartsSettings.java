package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.dailycounts.DailyCounts;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * The charts job ({@code pipelines.tracking.charts}).
 *
 * @param interval  how often the charts are drawn (default 2 hours); positive
 * @param firstRun  delay from start to the first drawing (default 10 seconds)
 * @param events    the report events (default submission_success and registration_initiated); each matches
 *                  {@value DailyCounts#EVENT_RULE}, as it becomes part of object keys and URLs; no repeats
 * @param prefix    key prefix of the charts in the tracking bucket (default {@value #DEFAULT_PREFIX}); a chart goes to
 *                  {@code <prefix><event>/<yyyyMMdd-HHmmss>.png}, its numbers next to it as {@code .json}
 * @param days      how many UTC days a chart shows, today included (default 30); 1 to 366
 * @param readCache how long the read API keeps what it found before it lists the bucket again (default 10 seconds)
 * @param maxRunTime longest one drawing may take (default 30 minutes); then it is aborted and counted failed
 */
public record TrackingChartsSettings(Duration interval, Duration firstRun, List<String> events, String prefix,
                                     Integer days, Duration readCache, Duration maxRunTime) {
    public static final String DEFAULT_PREFIX = "tracking-reports/";
    public static final TrackingChartsSettings DEFAULTS = new TrackingChartsSettings(null, null, null, null, null, null,
            null);

    public TrackingChartsSettings {
        interval = interval == null ? Duration.ofHours(2) : interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        firstRun = firstRun == null ? Duration.ofSeconds(10) : firstRun;
        if (firstRun.isNegative()) {
            throw new IllegalArgumentException("firstRun must not be negative, got " + firstRun);
        }
        events = events == null ? List.of("submission_success", "registration_initiated") : List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events must name at least one report event");
        }
        events.forEach(DailyCounts::requireValidEvent);
        if (new HashSet<>(events).size() != events.size()) {
            throw new IllegalArgumentException("events must not repeat an event, got " + events);
        }
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
        if (prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must be a folder such as " + DEFAULT_PREFIX
                    + " (ending with / and not starting with one), got '" + prefix + "'");
        }
        days = days == null ? 30 : days;
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("days must be 1 to 366, got " + days);
        }
        readCache = readCache == null ? Duration.ofSeconds(10) : readCache;
        if (readCache.isNegative()) {
            throw new IllegalArgumentException("readCache must not be negative, got " + readCache);
        }
        maxRunTime = maxRunTime == null ? Duration.ofMinutes(30) : maxRunTime;
        if (maxRunTime.isNegative() || maxRunTime.isZero()) {
            throw new IllegalArgumentException("maxRunTime must be positive, got " + maxRunTime);
        }
    }

    /** Settings with these report events and defaults for the rest (tests). */
    public static TrackingChartsSettings of(List<String> events) {
        return new TrackingChartsSettings(null, null, events, null, null, null, null);
    }
}
