package dev.sluice.server;

import java.util.List;
import java.util.Optional;

/**
 * Where {@link TrackingApi} finds the tracking charts: the latest chart and numbers the charts job stored for each
 * report event. The server knows no storage; the tracking pipeline brings an implementation (S3-backed in
 * {@code sluice-pipelines}).
 */
public interface TrackingReports {

    /** The report events, each matching {@value DailyCounts#EVENT_RULE}; an event not in this list is unknown. */
    List<String> events();

    /**
     * The latest report of {@code event}, one of {@link #events()}; empty while the job has not stored one yet.
     *
     * @throws RuntimeException when the storage cannot be read (the API answers 503)
     */
    Optional<TrackingReport> latest(String event);
}
