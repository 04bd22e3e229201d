package dev.sluice.cli;

import dev.sluice.pipelines.tracking.TrackingLoadJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sluice load tracking [--config F]}: loads the raw files not loaded yet into the warehouse, once, now. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Run a pipeline's warehouse load once, now.",
        subcommands = LoadCommand.Tracking.class)
final class LoadCommand {

    @Command(name = "tracking", mixinStandardHelpOptions = true,
            description = "Load every raw tracking file under the archive prefix that the ledger does not have into "
                    + "the events table, each file in one transaction with its ledger row; prints files loaded, rows, "
                    + "duplicates skipped and errors. Exit 1 when another instance is loading right now.")
    static final class Tracking implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE",
                description = "sluice.yaml (default: built-in, from the environment)")
        Path config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return TrackingJobOnce.run(config, spec.commandLine().getOut(), TrackingLoadJob::new);
        }
    }
}
