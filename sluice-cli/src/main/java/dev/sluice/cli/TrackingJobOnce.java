package dev.sluice.cli;

import dev.sluice.aws.s3.S3Clients;
import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.tracking.TrackingSchema;
import dev.sluice.pipelines.tracking.TrackingSettings;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.job.JobConnections;
import dev.sluice.postgres.job.SingleRunnerJob;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A command that runs one of the tracking pipeline's scheduled jobs once, now, under the same advisory lock as the
 * schedule ({@code sluice load tracking}, {@code sluice charts tracking}): migrates the tables, runs, prints the
 * summary. Exit 0 when the job ran, 1 when another instance holds its lock and this run was skipped.
 */
abstract class TrackingJobOnce implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "sluice.yaml (default: built-in, from the environment)")
    Path config;

    @Spec
    CommandSpec spec;

    /** The job to run, made from the pipeline's settings, an S3 client and the warehouse. */
    abstract Job job(TrackingSettings tracking, S3Client s3, DataSource warehouse);

    /** The most connections the job holds at once, its lock included. */
    abstract int connections();

    @Override
    public Integer call() throws Exception {
        SluiceConfig loaded = ConfigSource.load(config, System.getenv());
        TrackingSettings tracking = loaded.pipelines().tracking();
        try (PostgresDatabase db = new PostgresDatabase(loaded.postgres());
             S3Client s3 = S3Clients.create(loaded.aws())) {
            TrackingSchema.migrate(db, tracking.load());
            // The jobs' connections: their statement timeout covers a large file's COPY.
            JobConnections connections = db.jobConnections(spec.name(), connections());
            JobResult result = new SingleRunnerJob(job(tracking, s3, connections), connections).run();
            spec.commandLine().getOut().println(result.summary());
            return result.skipped() ? 1 : 0;
        }
    }
}
