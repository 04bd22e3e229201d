package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.dailycounts.DailyCountsJob;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutes;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutesSettings;
import dev.sluice.pipelines.dailycounts.DailyCountsSettings;
import dev.sluice.pipelines.dailycounts.S3DailyCountsReports;
import dev.sluice.core.pipeline.ReadRoute;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;

/**
 * The tracking pipeline's charts, as the Java wiring builds them: a {@link DailyCountsJob} counting {@code events} per
 * UTC day of {@code timestamp} and platform ({@code context_device_type}: android, ios, other), and the
 * {@code daily_counts} routes at {@code /api/tracking}, from {@code pipelines.tracking}'s bucket and charts settings.
 * Goes when tracking becomes a shipped definition (its {@code jobs:} and {@code routes:} then declare the same).
 */
public final class TrackingCharts {
    public static final String NAME = "tracking-charts";
    /** The platforms charted apart; every other device type is other. */
    static final List<String> PLATFORMS = List.of("android", "ios");

    private TrackingCharts() {
    }

    public static DailyCountsSettings settings(TrackingSettings tracking) {
        TrackingChartsSettings charts = tracking.charts();
        return new DailyCountsSettings(tracking.bucket(), charts.prefix(), tracking.load().events(),
                "context_device_type", PLATFORMS, charts.events(), "event", "timestamp", charts.days());
    }

    public static DailyCountsJob job(TrackingSettings tracking, S3Client s3, DataSource warehouse, Clock clock) {
        return new DailyCountsJob(NAME, TrackingArchivePipeline.NAME, settings(tracking), s3, warehouse, clock);
    }

    /** {@code /api/tracking/events}, {@code /charts/<event>.png} and {@code /daily?event=}. */
    public static List<ReadRoute> routes(TrackingSettings tracking, S3Client s3, Clock clock) {
        TrackingChartsSettings charts = tracking.charts();
        DailyCountsRoutesSettings settings = new DailyCountsRoutesSettings(tracking.bucket(), charts.prefix(),
                charts.events(), null, charts.readCache());
        return new DailyCountsRoutes(new S3DailyCountsReports(s3, settings, clock), TrackingArchivePipeline.NAME)
                .routes("/api/" + TrackingArchivePipeline.NAME);
    }
}
