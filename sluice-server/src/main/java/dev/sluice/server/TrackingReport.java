package dev.sluice.server;

import java.util.Objects;

/**
 * One run of the tracking charts job for one event: the numbers and the chart drawn from them.
 *
 * @param counts the daily counts per platform
 * @param png    the chart of exactly these counts, as PNG bytes
 */
public record TrackingReport(DailyCounts counts, byte[] png) {
    public TrackingReport {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(png, "png");
    }
}
