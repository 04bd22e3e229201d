package dev.sluice.redis;

import java.time.Duration;

/**
 * The playtime pipeline's {@link TotalsRetention}, under the name its settings use until playtime is a definition.
 *
 * @param doneMarkers see {@link TotalsRetention#doneMarkers()} (default 30 days)
 * @param failures    see {@link TotalsRetention#failures()} (default 30 days)
 */
public record PlaytimeRetention(Duration doneMarkers, Duration failures) {

    public static final Duration DEFAULT_DONE_MARKERS = TotalsRetention.DEFAULT_DONE_MARKERS;
    public static final Duration DEFAULT_FAILURES = TotalsRetention.DEFAULT_FAILURES;
    public static final PlaytimeRetention DEFAULTS = new PlaytimeRetention(null, null);

    public PlaytimeRetention {
        TotalsRetention checked = new TotalsRetention(doneMarkers, failures);
        doneMarkers = checked.doneMarkers();
        failures = checked.failures();
    }

    public TotalsRetention totals() {
        return new TotalsRetention(doneMarkers, failures);
    }
}
