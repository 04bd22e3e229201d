package dev.sluice.pipelines.dailycounts;

import java.util.Objects;

/**
 * One run of the {@code daily_counts} job for one event: the numbers and the chart drawn from them.
 *
 * @param counts the daily counts per group
 * @param png    the chart of exactly these counts, as PNG bytes
 */
public record DailyCountsReport(DailyCounts counts, byte[] png) {
    public DailyCountsReport {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(png, "png");
    }
}
