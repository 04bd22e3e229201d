package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.mask.Keyset;
import dev.sluice.pipelines.Pipelines;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.logins.LoginsPipeline;
import dev.sluice.postgres.PostgresDatabase;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The pipelines one {@code sluice run} or {@code sluice demo} drives, and the resources they share. */
final class RunningPipelines implements AutoCloseable {
    private final PostgresDatabase db;
    private final List<Runner<?>> runners = new ArrayList<>();

    private RunningPipelines(PostgresDatabase db) {
        this.db = db;
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
        Keyset keys = config.keys().load(environment);
        RunningPipelines running = new RunningPipelines(new PostgresDatabase(config.postgres()));
        try {
            for (String name : names) {
                // One pipeline today; each new one adds its case here.
                if (name.equals(LoginsPipeline.NAME)) {
                    var logins = config.pipelines().logins();
                    SqsSource source = SqsSource.connect(config.aws(), logins.source());
                    try {
                        running.runners.add(LoginsPipeline.create(logins, source, running.db, keys, registry,
                                Clock.systemUTC()));
                    } catch (RuntimeException e) {
                        source.close();
                        throw e;
                    }
                }
            }
            running.runners.forEach(Runner::start);
            return running;
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    List<Runner<?>> runners() {
        return runners;
    }

    PostgresDatabase database() {
        return db;
    }

    /**
     * Stops every pipeline at once (each within its own stop timeout), then closes the database pool. Calling it
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
        db.close();
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
