package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice charts tracking [--config F]}: draws the tracking charts once, now, as the scheduled job does. */
@Command(name = "charts", mixinStandardHelpOptions = true, description = "Draw a pipeline's charts once, now.",
        subcommands = ChartsCommand.Tracking.class)
final class ChartsCommand {

    @Command(name = "tracking", mixinStandardHelpOptions = true,
            description = "Count each report event per UTC day and platform in the warehouse, and store its chart "
                    + "(PNG) and numbers (JSON) in the tracking bucket under tracking-reports/. Skips when another "
                    + "instance is drawing them right now.")
    static final class Tracking extends TrackingJobOnce {

        @Override
        String jobType() {
            return "daily_counts";
        }
    }
}
