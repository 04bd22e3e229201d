package dev.sluice.cli;

import dev.sluice.core.job.Job;
import dev.sluice.pipelines.dailycounts.DailyCountsJob;
import dev.sluice.pipelines.tracking.TrackingCharts;
import dev.sluice.pipelines.tracking.TrackingSettings;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.time.Clock;

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
        Job job(TrackingSettings tracking, S3Client s3, DataSource warehouse) {
            return TrackingCharts.job(tracking, s3, warehouse, Clock.systemUTC());
        }

        @Override
        int connections() {
            return DailyCountsJob.CONNECTIONS;
        }
    }
}
