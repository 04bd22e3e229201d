package dev.sluice.pipelines.dailycounts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reports set by the test, for the routes test: the S3 reader is tested with the job (TrackingChartsJobTest). */
final class CannedDailyCountsReports implements DailyCountsReports {

    private final List<String> events;
    private final Map<String, DailyCountsReport> latest = new LinkedHashMap<>();
    private volatile RuntimeException failure;

    CannedDailyCountsReports(List<String> events) {
        this.events = List.copyOf(events);
    }

    /** A report of {@code event} over {@code days} days up to 2026-11-22, numbers derived from the day and a seed. */
    static DailyCountsReport report(String event, int days, int seed) {
        List<DailyCounts.Day> counts = new ArrayList<>();
        LocalDate last = LocalDate.parse("2026-11-22");
        for (int i = days - 1; i >= 0; i--) {
            counts.add(PlatformDays.day(last.minusDays(i), (seed * 7L + i * 13L) % 50, (seed * 3L + i * 5L) % 30,
                    i % 4 == 0 ? seed : 0));
        }
        DailyCounts daily = new DailyCounts(event, Instant.parse("2026-11-22T18:00:00Z"), counts);
        return new DailyCountsReport(daily, new DailyCountChart(400, 250).render(daily));
    }

    synchronized CannedDailyCountsReports put(DailyCountsReport report) {
        latest.put(report.counts().event(), report);
        return this;
    }

    void failWith(RuntimeException e) {
        failure = e;
    }

    @Override
    public List<String> events() {
        return events;
    }

    @Override
    public synchronized Optional<DailyCountsReport> latest(String event) {
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(latest.get(event));
    }
}
