package dev.sluice.pipelines.dailycounts;

import dev.sluice.aws.AwsResources;
import dev.sluice.core.job.Job;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.pipelines.SingleRunnerJobs;
import dev.sluice.postgres.job.SingleRunnerJob;

/**
 * The {@code daily_counts} job plugin: counts per day and group in a Postgres table, drawn as PNG charts with their
 * numbers into S3, on one instance at a time ({@link SingleRunnerJob}: the advisory lock of {@code <pipeline>-charts}).
 * It composes two connectors (Postgres and S3), so it lives here; its routes are {@link DailyCountsRoutes}.
 */
public final class DailyCountsPlugin {

    public static final Plugin<DailyCountsSettings, Job> PLUGIN = Plugin.job("daily_counts",
            DailyCountsSettings.class, "draws daily counts per group of a Postgres table as PNG charts with their"
                    + " numbers (JSON) into S3", DailyCountsPlugin::create);

    private DailyCountsPlugin() {
    }

    /** The job's name, its lock and metrics tag: {@code <pipeline>-charts} ({@code tracking-charts}). */
    public static String jobName(String pipeline) {
        return pipeline + "-charts";
    }

    private static Job create(DailyCountsSettings settings, PluginContext context) {
        String name = jobName(context.pipeline());
        return SingleRunnerJobs.create(context, name, DailyCountsJob.CONNECTIONS, connections ->
                new DailyCountsJob(name, context.pipeline(), settings, context.shared(AwsResources.S3), connections,
                        context.clock()));
    }
}
