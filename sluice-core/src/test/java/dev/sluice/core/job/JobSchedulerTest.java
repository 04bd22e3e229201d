package dev.sluice.core.job;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class JobSchedulerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

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

        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofMillis(10), Duration.ZERO, registry,
                Clock.systemUTC())) {
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
    void lastRunKeepsTheFailureReasonAndTheSummary() {
        ScriptedJob job = new ScriptedJob(List.of(new IllegalStateException("file s3://b/k: connection refused"),
                JobResult.done("1 file loaded")));
        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofDays(1), Duration.ofDays(1), registry,
                Clock.systemUTC())) {
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
        try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofDays(1), Duration.ofDays(1), registry,
                Clock.systemUTC())) {
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
        assertThatThrownBy(() -> JobScheduler.start(job, Duration.ZERO, Duration.ZERO, registry, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scripted").hasMessageContaining("interval");
    }
}
