package dev.sluice.pipelines.tracking;

import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.server.DailyCountChart;
import dev.sluice.server.DailyCounts;
import dev.sluice.server.DailyCountsJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The charts job: for each report event, the daily counts per platform of the last {@code days} UTC days
 * ({@link DailyEventCounts}), drawn as a PNG bar chart ({@link DailyCountChart}) and stored in the tracking bucket at
 * {@code <prefix><event>/<yyyyMMdd-HHmmss>.png}, the numbers it shows next to it at the same key ending in
 * {@code .json} ({@link DailyCountsJson}). The chart is stored before its numbers, and readers take the latest
 * {@code .json}, so a run that dies between the two leaves an unread chart and never numbers without their chart.
 * Objects are never deleted; a repeated run writes a new pair (or the same keys again within the same second).
 *
 * <pre>{@code
 * JobConnections connections = db.jobConnections(TrackingChartsJob.NAME, TrackingChartsJob.CONNECTIONS);
 * TrackingChartsJob job = new TrackingChartsJob(settings, s3, connections, Clock.systemUTC());
 * List<String> keys = job.drawAll();                                   // sluice charts tracking
 * JobScheduler.start(new SingleRunnerJob(job, connections),            // sluice run tracking
 *         settings.charts().interval(), settings.charts().firstRun(), settings.charts().maxRunTime(), registry, clock);
 * }</pre>
 */
public final class TrackingChartsJob implements Job {
    public static final String NAME = "tracking-charts";
    /** Connections a drawing holds at once: one for the counts, and the lock of its {@code SingleRunnerJob}. */
    public static final int CONNECTIONS = 2;
    private static final Logger log = LoggerFactory.getLogger(TrackingChartsJob.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final TrackingChartsSettings charts;
    private final DailyEventCounts counts;
    private final DailyCountChart chart = new DailyCountChart();
    private final Clock clock;

    public TrackingChartsJob(TrackingSettings settings, S3Client s3, DataSource warehouse, Clock clock) {
        this.s3 = s3;
        this.bucket = settings.bucket();
        this.charts = settings.charts();
        this.counts = new DailyEventCounts(warehouse, settings.load().events());
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobResult run() throws SQLException {
        List<String> drawn = drawAll().stream().filter(k -> k.endsWith(".png")).map(k -> "s3://" + bucket + "/" + k)
                .toList();
        return JobResult.done(drawn.size() + " charts drawn: " + String.join(", ", drawn));
    }

    /** Draws every report event's chart once; returns the keys written, chart then numbers per event. */
    public List<String> drawAll() throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<String> keys = new ArrayList<>();
        for (String event : charts.events()) {
            DailyCounts daily = counts.count(event, today.minusDays(charts.days() - 1L), today, now);
            String stem = charts.folder(event) + STAMP.format(now);
            put(stem + ".png", "image/png", chart.render(daily));
            put(stem + ".json", "application/json", DailyCountsJson.write(daily));
            keys.add(stem + ".png");
            keys.add(stem + ".json");
            log.atInfo().addKeyValue("pipeline", "tracking").addKeyValue("source", "s3://" + bucket + "/" + stem)
                    .log("drew {} over {} days into s3://{}/{}.png", event, daily.days().size(), bucket, stem);
        }
        return keys;
    }

    private void put(String key, String contentType, byte[] body) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body));
    }
}
