package dev.sluice.pipelines.dailycounts;

import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
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
 * The {@code daily_counts} job: for each event, the daily counts per group of the last {@code days} UTC days
 * ({@link DailyCountsQuery}), drawn as a PNG bar chart ({@link DailyCountChart}) and stored in the bucket at
 * {@code <prefix><event>/<yyyyMMdd-HHmmss>.png}, the numbers it shows next to it at the same key ending in
 * {@code .json} ({@link DailyCountsJson}). The chart is stored before its numbers, and readers take the latest
 * {@code .json}, so a run that dies between the two leaves an unread chart and never numbers without their chart.
 * Objects are never deleted; a repeated run writes a new pair (or the same keys again within the same second).
 *
 * <pre>{@code
 * JobConnections connections = db.jobConnections("tracking-charts", DailyCountsJob.CONNECTIONS);
 * DailyCountsJob job = new DailyCountsJob("tracking-charts", "tracking", settings, s3, connections, clock);
 * List<String> keys = job.drawAll();                                   // sluice charts tracking
 * }</pre>
 */
public final class DailyCountsJob implements Job {
    /** Connections a drawing holds at once: one for the counts, and the lock of its {@code SingleRunnerJob}. */
    public static final int CONNECTIONS = 2;
    private static final Logger log = LoggerFactory.getLogger(DailyCountsJob.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final String name;
    private final String pipeline;
    private final S3Client s3;
    private final DailyCountsSettings settings;
    private final DailyCountsQuery counts;
    private final DailyCountChart chart = new DailyCountChart();
    private final Clock clock;

    /**
     * @param name     the job's name: its lock, metrics tag and log field
     * @param pipeline the pipeline it belongs to, for the log field
     */
    public DailyCountsJob(String name, String pipeline, DailyCountsSettings settings, S3Client s3,
                          DataSource warehouse, Clock clock) {
        this.name = name;
        this.pipeline = pipeline;
        this.s3 = s3;
        this.settings = settings;
        this.counts = new DailyCountsQuery(warehouse, settings);
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public JobResult run() throws SQLException {
        List<String> drawn = drawAll().stream().filter(k -> k.endsWith(".png"))
                .map(k -> "s3://" + settings.bucket() + "/" + k).toList();
        return JobResult.done(drawn.size() + " charts drawn: " + String.join(", ", drawn));
    }

    /** Draws every report event's chart once; returns the keys written, chart then numbers per event. */
    public List<String> drawAll() throws SQLException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<String> keys = new ArrayList<>();
        for (String event : settings.events()) {
            DailyCounts daily = counts.count(event, today.minusDays(settings.days() - 1L), today, now);
            String stem = settings.folder(event) + STAMP.format(now);
            put(stem + ".png", "image/png", chart.render(daily));
            put(stem + ".json", "application/json", DailyCountsJson.write(daily));
            keys.add(stem + ".png");
            keys.add(stem + ".json");
            log.atInfo().addKeyValue("pipeline", pipeline)
                    .addKeyValue("source", "s3://" + settings.bucket() + "/" + stem)
                    .log("drew {} over {} days into s3://{}/{}.png", event, daily.days().size(), settings.bucket(),
                            stem);
        }
        return keys;
    }

    private void put(String key, String contentType, byte[] body) {
        s3.putObject(r -> r.bucket(settings.bucket()).key(key).contentType(contentType),
                RequestBody.fromBytes(body));
    }
}
