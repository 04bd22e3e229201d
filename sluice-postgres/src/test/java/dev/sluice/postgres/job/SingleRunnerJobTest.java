package dev.sluice.postgres.job;

import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@OnEachPostgres
class SingleRunnerJobTest {
    @Parameter
    TestDatabase database;

    /** A job that, once started, waits for the test to let it finish. */
    static final class HeldJob implements Job {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String name() {
            return "tracking-load";
        }

        @Override
        public JobResult run() throws Exception {
            runs.incrementAndGet();
            started.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the job");
            }
            return JobResult.done("ran");
        }
    }

    @Test
    void whileOneInstanceRunsTheOtherSkipsAndSaysSo() throws Exception {
        try (PostgresDatabase first = new PostgresDatabase(database.settings());
             PostgresDatabase second = new PostgresDatabase(database.settings())) {
            HeldJob held = new HeldJob();
            HeldJob other = new HeldJob();
            other.release.countDown();
            SingleRunnerJob running = new SingleRunnerJob(held, first.jobConnections("tracking-load", 2));
            SingleRunnerJob competing = new SingleRunnerJob(other, second.jobConnections("tracking-load", 2));

            CompletableFuture<JobResult> firstRun = CompletableFuture.supplyAsync(() -> call(running));
            assertThat(held.started.await(30, TimeUnit.SECONDS)).isTrue();

            JobResult skipped = competing.run();
            assertThat(skipped.skipped()).isTrue();
            assertThat(skipped.summary()).contains("tracking-load").contains("another instance");
            assertThat(other.runs.get()).isZero();

            held.release.countDown();
            assertThat(firstRun.get(30, TimeUnit.SECONDS)).isEqualTo(JobResult.done("ran"));

            // The lock went with the run: the other instance's next run goes ahead.
            assertThat(competing.run()).isEqualTo(JobResult.done("ran"));
            assertThat(other.runs.get()).isOne();
        }
    }

    @Test
    void aFailedRunReleasesTheLockOfItsPooledConnection() throws Exception {
        try (PostgresDatabase db = new PostgresDatabase(database.settings().withMaxPoolSize(1));
             PostgresDatabase elsewhere = new PostgresDatabase(database.settings())) {
            Job failing = new Job() {
                @Override
                public String name() {
                    return "tracking-load";
                }

                @Override
                public JobResult run() {
                    throw new IllegalStateException("warehouse refused");
                }
            };
            SingleRunnerJob job = new SingleRunnerJob(failing, db.jobConnections("tracking-load", 2));
            org.assertj.core.api.Assertions.assertThatThrownBy(job::run).hasMessage("warehouse refused");

            HeldJob next = new HeldJob();
            next.release.countDown();
            assertThat(new SingleRunnerJob(next, elsewhere.jobConnections("tracking-load", 2)).run().skipped()).isFalse();
            assertThat(next.runs.get()).isOne();
        }
    }

    @Test
    void theLockKeyIsStablePerNameAndDiffersBetweenJobs() {
        assertThat(SingleRunnerJob.lockKey("tracking-load")).isEqualTo(SingleRunnerJob.lockKey("tracking-load"))
                .isNotEqualTo(SingleRunnerJob.lockKey("tracking-charts"));
    }

    private static JobResult call(Job job) {
        try {
            return job.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
