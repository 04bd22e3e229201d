package dev.sluice.core.status;

import dev.sluice.core.engine.Backlog;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.status.PipelineStatus.ThroughputStep;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The status of the running pipelines, for the dashboard and {@code sluice status}: counts and state read from each
 * runner, throughput sampled every {@link #STEP} into a short history, and the source's backlog asked at most every
 * {@link #BACKLOG_MAX_AGE} (a dashboard polling every 2 s must not turn into an SQS call per poll per pipeline).
 *
 * <pre>{@code
 * try (StatusBoard board = StatusBoard.start(runners, Clock.systemUTC())) {
 *     board.snapshot().forEach(s -> System.out.println(s.name() + " " + s.state()));
 * }
 * }</pre>
 */
public final class StatusBoard implements AutoCloseable {
    public static final Duration STEP = Duration.ofSeconds(10);
    public static final Duration HISTORY = Duration.ofMinutes(5);
    public static final Duration BACKLOG_MAX_AGE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);
    private static final int STEPS = (int) HISTORY.dividedBy(STEP);

    private final List<Runner<?>> runners;
    private final Clock clock;
    private final Map<Runner<?>, History> histories = new LinkedHashMap<>();
    private final Thread sampler;

    private StatusBoard(List<Runner<?>> runners, Clock clock) {
        this.runners = List.copyOf(runners);
        this.clock = clock;
        this.runners.forEach(r -> histories.put(r, new History(r.metrics())));
        this.sampler = Thread.ofVirtual().name("sluice-status-sampler").unstarted(this::sampleEveryStep);
    }

    /** A board over {@code runners} that samples their throughput until {@link #close()}. */
    public static StatusBoard start(List<Runner<?>> runners, Clock clock) {
        StatusBoard board = new StatusBoard(runners, clock);
        board.sampler.start();
        return board;
    }

    /**
     * Registers the backlog as gauges, {@code sluice.source.backlog{pipeline, kind=visible|in_flight|dead_letters}}:
     * a scrape reads the cached backlog (asked at most every {@link #BACKLOG_MAX_AGE}), NaN while unknown.
     */
    public StatusBoard bindTo(MeterRegistry registry) {
        histories.forEach((runner, history) -> {
            gauge(registry, runner, "visible", () -> history.backlog(runner).map(b -> (double) b.visible()));
            gauge(registry, runner, "in_flight", () -> history.backlog(runner).map(b -> (double) b.inFlight()));
            gauge(registry, runner, "dead_letters", () -> history.backlog(runner)
                    .filter(b -> b.deadLetters().isPresent()).map(b -> (double) b.deadLetters().getAsLong()));
        });
        return this;
    }

    private static void gauge(MeterRegistry registry, Runner<?> runner, String kind, Supplier<Optional<Double>> value) {
        Gauge.builder("sluice.source.backlog", () -> value.get().orElse(Double.NaN))
                .description("messages behind the pipeline's consumers, as the source estimates them")
                .tag("pipeline", runner.pipeline()).tag("kind", kind).register(registry);
    }

    /** Every pipeline, in the order given, as of now. */
    public List<PipelineStatus> snapshot() {
        List<PipelineStatus> statuses = new ArrayList<>(runners.size());
        for (Runner<?> runner : runners) {
            PipelineMetrics m = runner.metrics();
            History history = histories.get(runner);
            statuses.add(new PipelineStatus(runner.pipeline(), runner.state(),
                    runner.source().name(), (long) m.receivedCount(), (long) m.writtenCount(),
                    (long) m.rejectedCount(), (long) m.droppedCount(), runner.inFlight(), (long) m.retriedCount(),
                    runner.failingSince(), runner.failingReason(), history.steps(), history.backlog(runner),
                    runner.recentRejects()));
        }
        return statuses;
    }

    private void sampleEveryStep() {
        while (true) {
            try {
                Thread.sleep(STEP);
            } catch (InterruptedException stop) {
                return;
            }
            sample();
        }
    }

    /** Closes one throughput step now; the sampler does it every {@link #STEP}. */
    void sample() {
        Instant now = clock.instant();
        histories.values().forEach(h -> h.sample(now));
    }

    @Override
    public void close() {
        sampler.interrupt();
    }

    /** One pipeline's throughput steps and its cached backlog. */
    private final class History {
        private final PipelineMetrics metrics;
        private final Deque<ThroughputStep> steps = new ArrayDeque<>();
        private long lastWritten;
        private long lastRejected;
        private Instant backlogAskedAt;
        private Optional<Backlog> backlog = Optional.empty();

        History(PipelineMetrics metrics) {
            this.metrics = metrics;
            this.lastWritten = (long) metrics.writtenCount();
            this.lastRejected = (long) metrics.rejectedCount();
        }

        synchronized void sample(Instant now) {
            long written = (long) metrics.writtenCount();
            long rejected = (long) metrics.rejectedCount();
            steps.addLast(new ThroughputStep(now, written - lastWritten, rejected - lastRejected));
            lastWritten = written;
            lastRejected = rejected;
            if (steps.size() > STEPS) {
                steps.removeFirst();
            }
        }

        synchronized List<ThroughputStep> steps() {
            return List.copyOf(steps);
        }

        synchronized Optional<Backlog> backlog(Runner<?> runner) {
            Instant now = clock.instant();
            if (backlogAskedAt == null || Duration.between(backlogAskedAt, now).compareTo(BACKLOG_MAX_AGE) >= 0) {
                backlogAskedAt = now;
                try {
                    backlog = runner.source().backlog();
                } catch (Exception e) {
                    // The dashboard shows "unknown"; the pipeline's own retries report the outage.
                    log.debug("pipeline {}: could not read the backlog of {}: {}", runner.pipeline(),
                            runner.source().name(), e.toString());
                    backlog = Optional.empty();
                }
            }
            return backlog;
        }
    }
}
