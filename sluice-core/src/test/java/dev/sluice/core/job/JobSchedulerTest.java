package dev.sluice.core.job;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class JobSchedulerTest {
    static final Duration MAX_RUN_TIME = Duration.ofMinutes(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /**
     * Its first run blocks like a read on a half-open socket: an interrupt does not end it, only {@link #abort()}
     * does (as closing the connection would). Later runs succeed.
     */
    static class HangingJob implements Job {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger aborts = new AtomicInteger();
        volatile boolean connectionClosed;

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public JobResult run() throws IOException {
            if (runs.incrementAndGet() == 1) {
                while (!connectionClosed) {
                    LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                }
                throw new IOException("connection closed under the blocked read");
            }
            return JobResult.done("loaded");
        }

        @Override
        public void abort() {
            aborts.incrementAndGet();
            connectionClosed = true;
        }
    }

    /** Plays a script of outcomes: a result, or an exception to throw; then keeps succeeding. */
    static final class ScriptedJob implements Job {
        final Deque<Object> script;
        final AtomicInteger runs = new AtomicInteger();

        ScriptedJob(List<Object> script) {
            this.script = new ArrayDeque<>(script);
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public synchronized JobResult run() throws Exception {
            runs.incrementAndGet();
            Object next = script.isEmpty() ? JobResult.done("nothing to do") : script.poll();
            if (next instanceof Exception e) {
                throw e;
            }
            if (next instanceof Error e) {
                throw e;
            }
            return (JobResult) next;
        }
    }

    private double runs(String outcome) {
        return registry.get("sluice.job.runs").tag("job", "scripted").tag("outcome", outcome).counter().count();
    }

    @Test
    void aFailedRunIsRetriedAtTheNextRunAndEveryOutcomeIsCounted() {
        ScriptedJob job = new ScriptedJob(List.of(new IllegalStateException("warehouse down"),
                new NoClassDefFoundError("a driver class went missing"), JobResult.skipped("another instance holds the lock"), JobResult.done("2 files loaded")));

        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofMillis(10), Duration.ZERO, MAX_RUN_TIME,
                registry, Clock.systemUTC())) {
            await().until(() -> runs("succeeded") >= 1);
            assertThat(runs("failed")).as("an exception and an error, and the schedule went on").isEqualTo(2);
            assertThat(runs("skipped")).isEqualTo(1);
            assertThat(scheduler.lastRun()).isPresent();
        }
        // Closed: no run in progress, so every run is counted once by outcome and timed once.
        double counted = runs("succeeded") + runs("skipped") + runs("failed");
        assertThat(counted).isEqualTo(job.runs.get());
        assertThat(registry.get("sluice.job.duration").tag("job", "scripted").timer().count())
                .isEqualTo(job.runs.get());
    }

    @Test
    void aRunBlockedPastMaxRunTimeIsAbortedCountedFailedAndTheNextScheduledRunHappens() {
        HangingJob job = new HangingJob();

        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofMillis(10), Duration.ZERO,
                Duration.ofMillis(500), registry, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> runs("succeeded") >= 1);
        }
        assertThat(job.aborts.get()).isOne();
        assertThat(runs("failed")).isOne();
        assertThat(job.runs.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void whileAnAbortedRunHasNotReturnedTheNextRunFailsInsteadOfOverlappingIt() {
        HangingJob job = new HangingJob() {
            @Override
            public void abort() {
                aborts.incrementAndGet();   // closes nothing: the run stays blocked
            }
        };
        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofDays(1), Duration.ofDays(1),
                Duration.ofMillis(200), registry, Clock.systemUTC())) {
            JobRun first = scheduler.runOnce();
            assertThat(first.outcome()).isEqualTo(JobRun.Outcome.FAILED);
            assertThat(first.summary()).contains("did not finish within maxRunTime PT0.2S");

            JobRun second = scheduler.runOnce();
            assertThat(second.outcome()).isEqualTo(JobRun.Outcome.FAILED);
            assertThat(second.summary()).contains("has still not returned");
            assertThat(job.runs.get()).isOne();

            job.connectionClosed = true;
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.runOnce().outcome()
                    == JobRun.Outcome.SUCCEEDED);
        }
    }

    @Test
    void lastRunKeepsTheFailureReasonAndTheSummary() {
        ScriptedJob job = new ScriptedJob(List.of(new IllegalStateException("file s3://b/k: connection refused"),
                JobResult.done("1 file loaded")));
        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofDays(1), Duration.ofDays(1), MAX_RUN_TIME,
                registry, Clock.systemUTC())) {
            JobRun failed = scheduler.runOnce();
            assertThat(failed.outcome()).isEqualTo(JobRun.Outcome.FAILED);
            assertThat(failed.summary()).isEqualTo("IllegalStateException: file s3://b/k: connection refused");
            assertThat(scheduler.lastRun()).contains(failed);

            JobRun done = scheduler.runOnce();
            assertThat(done.outcome()).isEqualTo(JobRun.Outcome.SUCCEEDED);
            assertThat(done.summary()).isEqualTo("1 file loaded");
            assertThat(scheduler.lastRun()).contains(done);
        }
        assertThat(job.runs.get()).isEqualTo(2);
    }

    @Test
    void nothingRunsBeforeTheFirstRunDelayAndAllOutcomesStartAtZero() {
        ScriptedJob job = new ScriptedJob(List.of());
        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofDays(1), Duration.ofDays(1), MAX_RUN_TIME,
                registry, Clock.systemUTC())) {
            assertThat(scheduler.lastRun()).isEmpty();
            for (JobRun.Outcome outcome : JobRun.Outcome.values()) {
                assertThat(runs(outcome.tag())).isZero();
            }
        }
        assertThat(job.runs.get()).isZero();
    }

    @Test
    void aNonPositiveIntervalIsRefusedNamingTheJob() {
        ScriptedJob job = new ScriptedJob(List.of());
        assertThatThrownBy(() -> JobScheduler.start(job, Duration.ZERO, Duration.ZERO, MAX_RUN_TIME, registry,
                Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scripted").hasMessageContaining("interval");
    }
}
