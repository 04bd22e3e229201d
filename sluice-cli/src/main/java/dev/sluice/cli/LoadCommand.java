package dev.sluice.cli;

import picocli.CommandLine.Command;

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
        String jobType() {
            return "warehouse_load";
        }
    }
}
