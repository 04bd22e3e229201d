package dev.sluice.pipelines.tracking;

import dev.sluice.postgres.SqlIdentifier;

import java.time.Duration;

/**
 * The warehouse load job ({@code pipelines.tracking.load}).
 *
 * @param interval     how often the job looks for raw files not loaded yet (default 5 minutes); positive
 * @param firstRun     delay from start to the first run (default 5 seconds)
 * @param events       the warehouse table (default {@value #DEFAULT_EVENTS}); a plain lowercase identifier
 * @param ledger       the ledger of loaded files (default {@value #DEFAULT_LEDGER})
 * @param loadErrors   lines that could not be loaded (default {@value #DEFAULT_LOAD_ERRORS})
 * @param maxLineBytes the longest raw line read; longer lines are load errors (default 1 MiB)
 * @param maxRunTime   longest one run may take (default 1 hour); a run still going then, typically blocked on a
 *                     connection that went half-open, is aborted, counted failed, and the next run goes on; positive
 */
public record TrackingLoadSettings(Duration interval, Duration firstRun, String events, String ledger,
                                   String loadErrors, Integer maxLineBytes, Duration maxRunTime) {
    public static final String DEFAULT_EVENTS = "events";
    public static final String DEFAULT_LEDGER = "tracking_loaded_files";
    public static final String DEFAULT_LOAD_ERRORS = "tracking_load_errors";
    public static final TrackingLoadSettings DEFAULTS = new TrackingLoadSettings(null, null, null, null, null, null,
            null);

    public TrackingLoadSettings {
        interval = interval == null ? Duration.ofMinutes(5) : interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        firstRun = firstRun == null ? Duration.ofSeconds(5) : firstRun;
        if (firstRun.isNegative()) {
            throw new IllegalArgumentException("firstRun must not be negative, got " + firstRun);
        }
        // Unqualified: the names also name the migration history and indexes.
        events = SqlIdentifier.unqualifiedTable(events == null ? DEFAULT_EVENTS : events).name();
        ledger = SqlIdentifier.unqualifiedTable(ledger == null ? DEFAULT_LEDGER : ledger).name();
        loadErrors = SqlIdentifier.unqualifiedTable(loadErrors == null ? DEFAULT_LOAD_ERRORS : loadErrors).name();
        maxLineBytes = maxLineBytes == null ? 1024 * 1024 : maxLineBytes;
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024, got " + maxLineBytes);
        }
        maxRunTime = maxRunTime == null ? Duration.ofHours(1) : maxRunTime;
        if (maxRunTime.isNegative() || maxRunTime.isZero()) {
            throw new IllegalArgumentException("maxRunTime must be positive, got " + maxRunTime);
        }
    }

    /** These settings with another interval (the demo loads every few seconds). */
    public TrackingLoadSettings withInterval(Duration interval) {
        return new TrackingLoadSettings(interval, firstRun, events, ledger, loadErrors, maxLineBytes, maxRunTime);
    }
}
