package dev.sluice.cli;

import dev.sluice.aws.s3.S3Clients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.status.PipelineStatus;
import dev.sluice.core.status.StatusBoard;
import dev.sluice.pipelines.Pipelines;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.logins.LoginsPipeline;
import dev.sluice.pipelines.playtime.PlaytimePipeline;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.redis.PlaytimeStore;
import dev.sluice.server.ReadinessCheck;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The pipelines one {@code sluice run} or {@code sluice demo} drives, and the resources they share: the Postgres
 * pool (logins), the Redis store and the S3 client (playtime). Only what the chosen pipelines need is opened, so
 * running playtime alone needs neither Postgres nor a masking keyset.
 */
final class RunningPipelines implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunningPipelines.class);
    private final List<Runner<?>> runners = new ArrayList<>();
    /** Closed in reverse order of opening, after every runner stopped. */
    private final List<AutoCloseable> resources = new ArrayList<>();
    private PlaytimeStore playtimeStore;
    private StatusBoard statusBoard;
    /** What {@code GET /ready} checks, by name: every endpoint a running pipeline needs. */
    private final Map<String, ReadinessCheck> readinessChecks = new LinkedHashMap<>();

    private RunningPipelines() {
    }

    /** Builds and starts each named pipeline; an unknown name fails before anything starts. */
    static RunningPipelines start(SluiceConfig config, List<String> names, Map<String, String> environment,
                                  MeterRegistry registry) {
        for (String name : names) {
            if (!Pipelines.NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown pipeline '" + name + "' (known: "
                        + String.join(", ", Pipelines.NAMES) + ")");
            }
        }
        RunningPipelines running = new RunningPipelines();
        try {
            for (String name : names) {
                switch (name) {
                    case LoginsPipeline.NAME -> running.addLogins(config, environment, registry);
                    case PlaytimePipeline.NAME -> running.addPlaytime(config, registry);
                    default -> throw new IllegalStateException("pipeline " + name + " is known but not wired");
                }
            }
            running.runners.forEach(Runner::start);
            running.statusBoard = running.opened(StatusBoard.start(running.runners, Clock.systemUTC()))
                    .bindTo(registry);
            return running;
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    private void addLogins(SluiceConfig config, Map<String, String> environment, MeterRegistry registry) {
        Keyset keys = config.keys().load(environment);
        PostgresDatabase db = opened(new PostgresDatabase(config.postgres()));
        var logins = config.pipelines().logins();
        SqsSource source = opened(SqsSource.connect(config.aws(), logins.source()));
        runners.add(LoginsPipeline.create(logins, source, db, keys, registry, Clock.systemUTC()));
        readinessChecks.put("postgres", db::checkConnection);
        readinessChecks.put("sqs:" + source.name(), source::approximateDepth);
    }

    private void addPlaytime(SluiceConfig config, MeterRegistry registry) {
        var playtime = config.pipelines().playtime();
        playtimeStore = opened(PlaytimeStore.open(config.redis()));
        S3Client s3 = opened(S3Clients.create(config.aws()));
        SqsSource source = opened(SqsSource.connect(config.aws(), playtime.source()));
        runners.add(PlaytimePipeline.create(playtime, source, s3, playtimeStore, registry, Clock.systemUTC()));
        // Redis is checked by the playtime API itself; the bucket is not probed (HeadBucket needs s3:ListBucket).
        readinessChecks.put("sqs:" + source.name(), source::approximateDepth);
    }

    /** Remembers {@code resource} for {@link #close()}; a source is closed by its runner too, which is harmless. */
    private <R extends AutoCloseable> R opened(R resource) {
        resources.add(resource);
        return resource;
    }

    List<Runner<?>> runners() {
        return runners;
    }

    /** Every pipeline's state, counts, backlog and latest rejects, as of now: what {@code /api/status} serves. */
    List<PipelineStatus> statuses() {
        return statusBoard.snapshot();
    }

    /** The endpoints the running pipelines need, by name, for {@code GET /ready}. */
    Map<String, ReadinessCheck> readinessChecks() {
        return Collections.unmodifiableMap(readinessChecks);
    }

    /** The playtime store, when playtime runs: the read API serves from it. */
    Optional<PlaytimeStore> playtimeStore() {
        return Optional.ofNullable(playtimeStore);
    }

    /**
     * Stops every pipeline at once (each within its own stop timeout), then closes what they shared. Calling it
     * again does nothing.
     */
    @Override
    public void close() {
        List<Thread> stopping = runners.stream().map(r -> Thread.ofVirtual().start(r::stop)).toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
        resources.clear();
    }

    /** One line per pipeline: counts and end-to-end latency. */
    List<String> summary() {
        return runners.stream().map(r -> summary(r.pipeline(), r.metrics(), r.inFlight())).toList();
    }

    static String summary(String pipeline, PipelineMetrics m, int inFlight) {
        var snapshot = m.endToEnd().takeSnapshot();
        double p99 = 0;
        for (var p : snapshot.percentileValues()) {
            if (p.percentile() == 0.99) {
                p99 = p.value(TimeUnit.MILLISECONDS);
            }
        }
        return String.format(Locale.ROOT, "%s: received %,d  written %,d  rejected %,d  in flight %,d  p99 %,.0f ms",
                pipeline, (long) m.receivedCount(), (long) m.writtenCount(), (long) m.rejectedCount(), inFlight, p99);
    }
}
