package dev.sluice.pipelines.tracking;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.pipeline.JobSchedule;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.dailycounts.DailyCountsJob;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutesSettings;
import dev.sluice.pipelines.dailycounts.DailyCountsSettings;
import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.pipelines.warehouse.WarehouseLoadPlugin;
import dev.sluice.pipelines.warehouse.WarehouseLoadSettings;
import dev.sluice.postgres.PostgresDatabase;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped tracking definition's two jobs, built from their settings as written in {@code tracking.yaml} (with a
 * test's overrides merged over them, as a user's sluice.yaml would), straight on their job classes: the tests drive
 * {@link WarehouseLoadJob#loadPending()} and the charts' run without the schedule or its lock.
 */
public final class TrackingJobs {
    /** The names the definition's jobs run under ({@code <pipeline>-<id>}): their advisory locks. */
    static final String LOAD = "tracking-load";
    static final String CHARTS = "tracking-charts";

    private TrackingJobs() {
    }

    /**
     * The load job's settings with {@code overrides} (its keys, YAML flow style: {@code "bucket: b, maxTries: 2"})
     * merged over the shipped ones.
     */
    public static WarehouseLoadSettings load(String overrides) {
        return settings("load", overrides).bind(WarehouseLoadSettings.class);
    }

    /** The charts job's settings with {@code overrides} merged over the shipped ones. */
    static DailyCountsSettings charts(String overrides) {
        return settings("charts", overrides).bind(DailyCountsSettings.class);
    }

    /** The routes' settings as shipped. */
    static DailyCountsRoutesSettings routes() {
        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(), TrackingArchiveHarness.shippedDefinition())) {
            return defined.definitions().definition("tracking").at("routes").elements().getFirst()
                    .without("type", "id").bind(DailyCountsRoutesSettings.class);
        }
    }

    private static ConfigNode settings(String id, String overrides) {
        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(), TrackingArchiveHarness.shippedDefinition(),
                "pipelines: {tracking: {jobs: [{id: " + id + ", " + overrides + "}]}}")) {
            for (ConfigNode job : defined.definitions().definition("tracking").at("jobs").elements()) {
                if (job.at("id").text().orElse("").equals(id)) {
                    return job.without(JobSchedule.KEYS).without("type", "id");
                }
            }
            throw new IllegalStateException("the shipped tracking definition has no job " + id);
        }
    }

    /** The load's tables ({@code db/tracking}, the archiver's rejects table among them), as the job migrates them. */
    static void migrate(PostgresDatabase db, WarehouseLoadSettings load) {
        WarehouseLoadPlugin.migrate(db, load);
    }

    static WarehouseLoadJob loadJob(WarehouseLoadSettings settings, S3Client s3, DataSource warehouse) {
        return new WarehouseLoadJob(LOAD, "tracking", settings, s3, warehouse);
    }

    static DailyCountsJob chartsJob(DailyCountsSettings settings, S3Client s3, DataSource warehouse, Clock clock) {
        return new DailyCountsJob(CHARTS, "tracking", settings, s3, warehouse, clock);
    }

    /** The events table's columns in DDL order, each with its VARCHAR length (0 for other types). */
    static Map<String, Integer> eventsColumns() throws IOException {
        try (InputStream in = TrackingJobs.class.getResourceAsStream("/db/tracking/V1__events.sql")) {
            String ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, Integer> columns = new LinkedHashMap<>();
            Matcher m = Pattern.compile("(?m)^\\s*\"?(\\w+)\"?\\s+(VARCHAR\\((\\d+)\\)|[A-Z]+)").matcher(ddl);
            while (m.find()) {
                if (!m.group(1).equalsIgnoreCase("CREATE") && !m.group(1).equalsIgnoreCase("PRIMARY")) {
                    columns.put(m.group(1), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
                }
            }
            return columns;
        }
    }
}
