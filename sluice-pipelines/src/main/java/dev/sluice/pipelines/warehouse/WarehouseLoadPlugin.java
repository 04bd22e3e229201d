package dev.sluice.pipelines.warehouse;

import dev.sluice.aws.AwsResources;
import dev.sluice.core.job.Job;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.pipelines.SingleRunnerJobs;
import dev.sluice.postgres.job.SingleRunnerJob;
import dev.sluice.postgres.plugin.PostgresResources;

/**
 * The {@code warehouse_load} job plugin: raw files on S3 into a Postgres table, each file once with its ledger row,
 * on one instance at a time ({@link SingleRunnerJob}: the advisory lock of {@code <pipeline>-load}). It composes
 * two connectors (S3 and Postgres), so it lives here, like {@code parquet_totals}.
 *
 * <pre>{@code
 * jobs:
 *   - type: warehouse_load
 *     every: 5m
 *     bucket: tracking
 *     prefix: tracking-raw/
 *     table: events
 *     columns: {id: {maxLength: 36}, user_id: {type: integer, nullable: true}, timestamp: {type: timestamp}}
 * }</pre>
 */
public final class WarehouseLoadPlugin {

    public static final Plugin<WarehouseLoadSettings, Job> PLUGIN = Plugin.job("warehouse_load",
            WarehouseLoadSettings.class, "loads raw gzip NDJSON files from S3 into a Postgres table, each file once"
                    + " with its ledger row; bad lines into a load errors table", WarehouseLoadPlugin::create);

    private WarehouseLoadPlugin() {
    }

    /** The job's name, its lock and metrics tag: {@code <pipeline>-load} ({@code tracking-load}). */
    public static String jobName(String pipeline) {
        return pipeline + "-load";
    }

    private static Job create(WarehouseLoadSettings settings, PluginContext context) {
        migrate(context.shared(PostgresResources.DATABASE), settings);
        String name = jobName(context.pipeline());
        return SingleRunnerJobs.create(context, name, WarehouseLoadJob.CONNECTIONS, connections ->
                new WarehouseLoadJob(name, context.pipeline(), settings, context.shared(AwsResources.S3), connections));
    }

    /** Creates or upgrades the tables with the settings' migrations, if any; safe on every start. */
    public static void migrate(PostgresDatabase db, WarehouseLoadSettings settings) {
        if (settings.migrations() != null) {
            db.migrate(settings.migrations().location(), settings.history(), settings.placeholders());
        }
    }
}
