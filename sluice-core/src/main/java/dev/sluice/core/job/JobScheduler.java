package dev.sluice.core.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@link Job} on a fixed delay: the first run {@code firstRun} after start, each next run {@code interval}
 * after the previous one ended (a slow run never overlaps the next). A failed run is logged and counted; the next
 * scheduled run is the retry.
 *
 * <p>A run is bounded by {@code maxRunTime}: it runs on a thread of its own, and when it outlasts the bound it is
 * counted failed, the job is told to {@link Job#abort() abort} (close the connection it is blocked on, which an
 * interrupt cannot unblock) and interrupted, and the schedule goes on. While an aborted run has still not returned,
 * the next runs fail at once instead of overlapping it.
 *
 * <p>Meters, tagged {@code job=<name>}: {@code sluice.job.runs{outcome=succeeded|skipped|failed}} (registered at
 * zero) and {@code sluice.job.duration}. {@link #lastRun()} keeps the latest run for status views.
 *
 * <pre>{@code
 * try (JobScheduler scheduler = JobScheduler.start(job, Duration.ofMinutes(5), Duration.ofSeconds(1),
 *         Duration.ofMinutes(30), registry, Clock.systemUTC())) {
 *     signal.await();
 * }   // close waits for a run in progress to finish
 * }</pre>
 */
public final class JobScheduler implements AutoCloseable {
    /** How long {@link #close()} waits for a run in progress before interrupting it. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

    private final Job job;
    private final Duration maxRunTime;
    private final Clock clock;
    private final Map<JobRun.Outcome, Counter> runs = new EnumMap<>(JobRun.Outcome.class);
    private final Timer duration;
    private final AtomicReference<JobRun> lastRun = new AtomicReference<>();
    private final ScheduledExecutorService executor;
    /** The thread of a run that outlasted {@link #maxRunTime} and was aborted, until it returns. */
    private Thread aborted;

    private JobScheduler(Job job, Duration maxRunTime, MeterRegistry registry, Clock clock) {
        this.job = job;
        this.maxRunTime = maxRunTime;
        this.clock = clock;
        for (JobRun.Outcome outcome : JobRun.Outcome.values()) {
            runs.put(outcome, Counter.builder("sluice.job.runs").description("runs of a scheduled job by outcome")
                    .tag("job", job.name()).tag("outcome", outcome.tag()).register(registry));
        }
        this.duration = Timer.builder("sluice.job.duration").description("one run of a scheduled job")
                .tag("job", job.name()).register(registry);
        this.executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("job-" + job.name()).daemon(true).factory());
    }

    /**
     * Starts running {@code job}; close the scheduler to stop.
     *
     * @param interval   pause between the end of one run and the start of the next; positive
     * @param firstRun   delay before the first run; zero or positive
     * @param maxRunTime longest one run may take before it is aborted and counted failed; positive
     */
    public static JobScheduler start(Job job, Duration interval, Duration firstRun, Duration maxRunTime,
                                     MeterRegistry registry, Clock clock) {
        Objects.requireNonNull(job, "job");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval of job " + job.name() + " must be positive, got " + interval);
        }
        if (firstRun.isNegative()) {
            throw new IllegalArgumentException("first run delay of job " + job.name() + " must not be negative, got "
                    + firstRun);
        }
        if (maxRunTime.isNegative() || maxRunTime.isZero()) {
            throw new IllegalArgumentException("maxRunTime of job " + job.name() + " must be positive, got "
                    + maxRunTime);
        }
        JobScheduler scheduler = new JobScheduler(job, maxRunTime, registry, clock);
        scheduler.executor.scheduleWithFixedDelay(scheduler::runOnce, firstRun.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return scheduler;
    }

    /** The latest finished run, empty before the first one ends. */
    public Optional<JobRun> lastRun() {
        return Optional.ofNullable(lastRun.get());
    }

    /**
     * Runs the job once, records and returns the run; never throws (a failure is the run's outcome). The scheduler
     * calls it; it is public for tests and for on-demand runs that want the same meters.
     */
    public JobRun runOnce() {
        Instant started = clock.instant();
        long start = System.nanoTime();
        JobRun.Outcome outcome;
        String summary;
        try {
            JobResult result = bounded();
            outcome = result.skipped() ? JobRun.Outcome.SKIPPED : JobRun.Outcome.SUCCEEDED;
            summary = result.summary();
            log.atInfo().addKeyValue("job", job.name()).log("job {} {}: {}", job.name(),
                    result.skipped() ? "skipped" : "done", summary);
        } catch (Exception | Error e) {
            // Errors too: one escaping the scheduled task would end the schedule for good, without a word.
            outcome = JobRun.Outcome.FAILED;
            summary = e.getClass().getSimpleName() + ": " + e.getMessage();
            // The next scheduled run is the retry; the exception's message never carries data (the jobs' rule).
            log.atWarn().addKeyValue("job", job.name()).setCause(e)
                    .log("job {} failed, retried at its next run: {}", job.name(), summary);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        duration.record(took);
        runs.get(outcome).increment();
        JobRun run = new JobRun(job.name(), outcome, started, took, summary);
        lastRun.set(run);
        return run;
    }

    /**
     * Runs the job on a thread of its own and waits at most {@link #maxRunTime} for it.
     *
     * @throws RunTimeExceededException when the run outlasted the bound (it was aborted and interrupted), or an
     *                                  earlier aborted run has still not returned
     */
    private JobResult bounded() throws Exception {
        if (aborted != null && aborted.isAlive()) {
            throw new RunTimeExceededException("the run aborted after maxRunTime " + maxRunTime
                    + " has still not returned; not starting another beside it");
        }
        aborted = null;
        FutureTask<JobResult> run = new FutureTask<>(job::run);
        Thread runner = Thread.ofPlatform().name("job-" + job.name() + "-run").daemon(true).start(run);
        try {
            return run.get(maxRunTime.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        } catch (TimeoutException e) {
            abort(runner);
            throw new RunTimeExceededException("did not finish within maxRunTime " + maxRunTime
                    + "; aborted (its connections closed)");
        } catch (InterruptedException e) {
            // close() gave up waiting: end the run the same way.
            abort(runner);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private void abort(Thread runner) {
        aborted = runner;
        try {
            job.abort();
        } finally {
            runner.interrupt();
        }
    }

    /** A run that outlasted its bound. */
    static final class RunTimeExceededException extends Exception {
        RunTimeExceededException(String message) {
            super(message);
        }
    }

    /** Stops scheduling and waits up to {@link #STOP_TIMEOUT} for a run in progress, then interrupts it. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
