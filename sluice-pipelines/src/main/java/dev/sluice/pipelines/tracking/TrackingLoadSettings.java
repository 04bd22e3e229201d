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
 * @param failedFiles  raw files that failed to load, with their tries and latest reason (default
 *                     {@value #DEFAULT_FAILED_FILES})
 * @param maxTries     a file that failed this many times is skipped (default 3; at least 1)
 * @param relistWindow a run lists the keys from this long before the newest loaded file's time on, to find files
 *                     stored late or named by a slow clock (default 1 hour; not negative)
 * @param fullListEvery the first run after start, and then a run at least this often, lists the whole prefix
 *                     instead, for a file stored later than {@code relistWindow} (default 24 hours; positive)
 */
public record TrackingLoadSettings(Duration interval, Duration firstRun, String events, String ledger,
                                   String loadErrors, Integer maxLineBytes, Duration maxRunTime, String failedFiles,
                                   Integer maxTries, Duration relistWindow, Duration fullListEvery) {
    public static final String DEFAULT_EVENTS = "events";
    public static final String DEFAULT_LEDGER = "tracking_loaded_files";
    public static final String DEFAULT_LOAD_ERRORS = "tracking_load_errors";
    public static final String DEFAULT_FAILED_FILES = "tracking_failed_files";
    public static final TrackingLoadSettings DEFAULTS = new TrackingLoadSettings(null, null, null, null, null, null,
            null, null, null, null, null);

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
        failedFiles = SqlIdentifier.unqualifiedTable(failedFiles == null ? DEFAULT_FAILED_FILES : failedFiles).name();
        maxTries = maxTries == null ? 3 : maxTries;
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
        }
        relistWindow = relistWindow == null ? Duration.ofHours(1) : relistWindow;
        if (relistWindow.isNegative()) {
            throw new IllegalArgumentException("relistWindow must not be negative, got " + relistWindow);
        }
        fullListEvery = fullListEvery == null ? Duration.ofHours(24) : fullListEvery;
        if (fullListEvery.isNegative() || fullListEvery.isZero()) {
            throw new IllegalArgumentException("fullListEvery must be positive, got " + fullListEvery);
        }
    }

    /** These settings with another interval (the demo loads every few seconds). */
    public TrackingLoadSettings withInterval(Duration interval) {
        return new TrackingLoadSettings(interval, firstRun, events, ledger, loadErrors, maxLineBytes, maxRunTime,
                failedFiles, maxTries, relistWindow, fullListEvery);
    }

    /** These settings with another retry bound and listing window (tests). */
    public TrackingLoadSettings withListing(int maxTries, Duration relistWindow, Duration fullListEvery) {
        return new TrackingLoadSettings(interval, firstRun, events, ledger, loadErrors, maxLineBytes, maxRunTime,
                failedFiles, maxTries, relistWindow, fullListEvery);
    }
}
