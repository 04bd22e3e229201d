package dev.sluice.bench;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.pipeline.JobSchedule;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.pipelines.warehouse.WarehouseLoadPlugin;
import dev.sluice.pipelines.warehouse.WarehouseLoadSettings;
import dev.sluice.postgres.PostgresDatabase;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.util.Map;
import java.util.Optional;

/**
 * The shipped tracking definition ({@code sluice/pipelines/tracking.yaml}) as the benchmarks and chaos read it: its
 * queue, bucket and archive prefix, and its warehouse load built directly (the job's own class, so a benchmark can
 * time {@link WarehouseLoadJob#loadPending()} without the schedule's lock).
 */
final class ShippedTracking {
    static final String NAME = "tracking";
    /** The load's advisory lock and job name, as the definition's job runs under. */
    static final String LOAD = NAME + "-load";

    private static final ConfigNode DEFINITION = PipelineDefinitions.load(Catalog.load(),
            new ConfigLoader(Map.of()), Optional.empty()).definition(NAME);

    private ShippedTracking() {
    }

    static ConfigNode definition() {
        return DEFINITION;
    }

    static String queue() {
        return DEFINITION.at("source", "queue").text().orElseThrow();
    }

    static String bucket() {
        return DEFINITION.at("sink", "bucket").text().orElseThrow();
    }

    /** Where the archiver stores its raw files (and the load reads them). */
    static String archivePrefix() {
        return DEFINITION.at("sink", "prefix").text().orElseThrow();
    }

    /** The table the archiver's rejects go to. */
    static String rejects() {
        return DEFINITION.at("errors", "table").text().orElseThrow();
    }

    /** The load job's settings as shipped. */
    static WarehouseLoadSettings load() {
        for (ConfigNode job : DEFINITION.at("jobs").elements()) {
            if (job.at("type").text().orElse("").equals("warehouse_load")) {
                return job.without(JobSchedule.KEYS).without("type", "id").bind(WarehouseLoadSettings.class);
            }
        }
        throw new IllegalStateException("the shipped tracking definition has no warehouse_load job");
    }

    /** Creates or upgrades the load's tables (and the archiver's rejects table, in the same migrations). */
    static void migrate(PostgresDatabase db) {
        WarehouseLoadPlugin.migrate(db, load());
    }

    static WarehouseLoadJob loadJob(S3Client s3, DataSource warehouse) {
        return new WarehouseLoadJob(LOAD, NAME, load(), s3, warehouse);
    }
}
