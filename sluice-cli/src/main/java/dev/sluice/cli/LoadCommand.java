package dev.sluice.cli;

import dev.sluice.pipelines.tracking.TrackingLoad;
import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.core.job.Job;
import dev.sluice.pipelines.tracking.TrackingSettings;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;

/** {@code sluice load tracking [--config F]}: loads the raw files not loaded yet into the warehouse, once, now. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Run a pipeline's warehouse load once, now.",
        subcommands = LoadCommand.Tracking.class)
final class LoadCommand {

    @Command(name = "tracking", mixinStandardHelpOptions = true,
            description = "Load every raw tracking file under the archive prefix that the ledger does not have into "
                    + "the events table, each file in one transaction with its ledger row; prints files loaded, rows, "
                    + "duplicates skipped and errors. Exit 1 when another instance is loading right now.")
    static final class Tracking extends TrackingJobOnce {

        @Override
        Job job(TrackingSettings tracking, S3Client s3, DataSource warehouse) {
            return TrackingLoad.job(tracking, s3, warehouse);
        }

        @Override
        int connections() {
            return WarehouseLoadJob.CONNECTIONS;
        }
    }
}
