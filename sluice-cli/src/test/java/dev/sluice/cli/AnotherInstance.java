package dev.sluice.cli;

import dev.sluice.postgres.job.SingleRunnerJob;
import dev.sluice.postgres.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;

/** Another instance of Sluice, as a job's scheduled runs see it: a session holding that job's advisory lock. */
final class AnotherInstance {
    private AnotherInstance() {
    }

    /** Runs the CLI with {@code args} while another session holds the lock of the job named {@code jobName}. */
    static Cli.Result runningJob(TestDatabase db, String jobName, String... args) throws Exception {
        try (Connection other = db.connect();
             PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, SingleRunnerJob.lockKey(jobName));
            lock.executeQuery().close();
            return Cli.run(args);
        }
    }
}
