package dev.sluice.pipelines.dailycounts;

import java.util.List;
import java.util.Optional;

/**
 * Where {@link DailyCountsRoutes} find the charts: the latest chart and numbers the {@code daily_counts} job stored
 * for each report event ({@link S3DailyCountsReports}; canned in tests).
 */
public interface DailyCountsReports {

    /** The report events, each matching {@value DailyCounts#EVENT_RULE}; an event not in this list is unknown. */
    List<String> events();

    /**
     * The latest report of {@code event}, one of {@link #events()}; empty while the job has not stored one yet.
     *
     * @throws RuntimeException when the storage cannot be read (the API answers 503)
     */
    Optional<DailyCountsReport> latest(String event);
}
