package dev.sluice.core.dedupe;

import java.time.Duration;

/**
 * How {@link DedupingSink} remembers events.
 *
 * @param horizon           how long an event is remembered (default 24 h) after the later of its event time and
 *                          its arrival: two copies of an event both younger than this in event time are never both
 *                          stored, nor a copy of a late event resent within this time of the first
 * @param expectedPerHour   events per hour of event time the in-memory filters are sized for (default 1,000,000);
 *                          more only raises the share of events that need a database lookup
 * @param falsePositiveRate share of new events the filters send to the database anyway (default 0.01)
 * @param purgeEvery        how often records older than the horizon are deleted (default 5 min)
 * @param recordFor         how long recording a stored file's events is retried before its messages go back to the
 *                          source unrecorded, to come again and be written again (default 10 min); a
 *                          {@link dev.sluice.core.engine.PermanentFailureException} goes back at once
 */
public record DedupeSettings(Duration horizon, Long expectedPerHour, Double falsePositiveRate, Duration purgeEvery,
                             Duration recordFor) {

    public static final DedupeSettings DEFAULTS = new DedupeSettings(null, null, null, null, null);

    /** The settings with the default {@code recordFor}. */
    public DedupeSettings(Duration horizon, Long expectedPerHour, Double falsePositiveRate, Duration purgeEvery) {
        this(horizon, expectedPerHour, falsePositiveRate, purgeEvery, null);
    }

    public DedupeSettings {
        horizon = horizon == null ? Duration.ofHours(24) : horizon;
        if (horizon.compareTo(Duration.ofHours(1)) < 0 || horizon.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("horizon must be between 1 hour and 30 days, was " + horizon);
        }
        expectedPerHour = expectedPerHour == null ? 1_000_000L : expectedPerHour;
        if (expectedPerHour < 1 || expectedPerHour > 100_000_000L) {
            throw new IllegalArgumentException(
                    "expectedPerHour must be between 1 and 100,000,000, was " + expectedPerHour);
        }
        falsePositiveRate = falsePositiveRate == null ? 0.01 : falsePositiveRate;
        if (!(falsePositiveRate > 0 && falsePositiveRate < 0.5)) {
            throw new IllegalArgumentException(
                    "falsePositiveRate must be above 0 and below 0.5, was " + falsePositiveRate);
        }
        purgeEvery = purgeEvery == null ? Duration.ofMinutes(5) : purgeEvery;
        if (purgeEvery.isNegative() || purgeEvery.isZero()) {
            throw new IllegalArgumentException("purgeEvery must be positive, was " + purgeEvery);
        }
        recordFor = recordFor == null ? Duration.ofMinutes(10) : recordFor;
        if (recordFor.isNegative() || recordFor.isZero()) {
            throw new IllegalArgumentException("recordFor must be positive, was " + recordFor);
        }
    }
}
