package dev.sluice.cli;

import dev.sluice.aws.s3.S3Clients;
import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.tracking.TrackingSchema;
import dev.sluice.pipelines.tracking.TrackingSettings;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.job.SingleRunnerJob;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Runs one of the tracking pipeline's scheduled jobs once, now, under the same advisory lock as the schedule, for
 * {@code sluice load tracking} and {@code sluice charts tracking}: migrates the tables, runs, prints the summary.
 */
final class TrackingJobOnce {

    /** The job to run, made from the pipeline's settings, an S3 client and the warehouse. */
    @FunctionalInterface
    interface JobFactory {
        Job create(TrackingSettings tracking, S3Client s3, DataSource warehouse);
    }

    private TrackingJobOnce() {
    }

    /** @return 0 when the job ran, 1 when another instance holds its lock and this run was skipped */
    static int run(Path config, PrintWriter out, JobFactory factory) throws Exception {
        SluiceConfig loaded = ConfigSource.load(config, System.getenv());
        TrackingSettings tracking = loaded.pipelines().tracking();
        try (PostgresDatabase db = new PostgresDatabase(loaded.postgres());
             S3Client s3 = S3Clients.create(loaded.aws())) {
            TrackingSchema.migrate(db, tracking.load());
            JobResult result = new SingleRunnerJob(factory.create(tracking, s3, db.dataSource()), db.dataSource())
                    .run();
            out.println(result.summary());
            return result.skipped() ? 1 : 0;
        }
    }
}
