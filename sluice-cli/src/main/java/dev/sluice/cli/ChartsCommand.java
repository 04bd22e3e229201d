package dev.sluice.cli;

import dev.sluice.pipelines.tracking.TrackingChartsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code sluice charts tracking [--config F]}: draws the tracking charts once, now, as the scheduled job does. */
@Command(name = "charts", mixinStandardHelpOptions = true, description = "Draw a pipeline's charts once, now.",
        subcommands = ChartsCommand.Tracking.class)
final class ChartsCommand {

    @Command(name = "tracking", mixinStandardHelpOptions = true,
            description = "Count each report event per UTC day and platform in the warehouse, and store its chart "
                    + "(PNG) and numbers (JSON) in the tracking bucket under tracking-reports/. Skips when another "
                    + "instance is drawing them right now.")
    static final class Tracking implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE",
                description = "sluice.yaml (default: built-in, from the environment)")
        Path config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return TrackingJobOnce.run(config, spec.commandLine().getOut(), (tracking, s3, warehouse) -> new TrackingChartsJob(tracking, s3, warehouse, Clock.systemUTC()));
        }
    }
}
