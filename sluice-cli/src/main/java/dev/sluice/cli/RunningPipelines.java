package dev.sluice.cli;

import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Panel;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineOutline;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.plugin.Resources;
import dev.sluice.core.status.PipelineStatus;
import dev.sluice.core.status.StatusBoard;
import dev.sluice.server.ReadinessCheck;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pipelines one {@code sluice run} or {@code sluice demo} drives: those built from definitions share the
 * resources their plugins open (the catalog's {@link Resources}). Only what the chosen pipelines need is opened.
 */
final class RunningPipelines implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunningPipelines.class);
    /** The pipelines built from their definitions. */
    private final List<AssembledPipeline> defined = new ArrayList<>();
    private Resources shared;
    /** Closed in reverse order of opening, after every runner stopped. */
    private final List<AutoCloseable> resources = new ArrayList<>();
    private StatusBoard statusBoard;
    /** What {@code GET /ready} checks, by name: every endpoint a running pipeline needs. */
    private final Map<String, ReadinessCheck> readinessChecks = new LinkedHashMap<>();

    private RunningPipelines() {
    }

    /** Builds and starts each named pipeline; an unknown name fails before anything starts. */
    static RunningPipelines start(ConfigSource.Loaded config, List<String> names, Map<String, String> environment,
                                  MeterRegistry registry) {
        List<String> known = config.known();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown pipeline '" + name + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
        RunningPipelines running = new RunningPipelines();
        try {
            running.shared = running.opened(new Resources(config.catalog(), config.definitions().root(),
                    environment, registry, Clock.systemUTC()));
            PipelineAssembler assembler = new PipelineAssembler(config.catalog(), running.shared);
            for (String name : names) {
                running.defined.add(assembler.assemble(name, config.definitions().definition(name)));
            }
            running.defined.forEach(pipeline -> pipeline.start(registry, Clock.systemUTC()));
            running.shared.probes().forEach((name, probe) -> running.readinessChecks.put(name, probe::check));
            running.statusBoard = running.opened(StatusBoard.start(running.runners(), Clock.systemUTC()))
                    .bindTo(registry);
            return running;
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    /** Remembers {@code resource} for {@link #close()}; a source is closed by its runner too, which is harmless. */
    private <R extends AutoCloseable> R opened(R resource) {
        resources.add(resource);
        return resource;
    }

    List<Runner<?>> runners() {
        List<Runner<?>> all = new ArrayList<>();
        defined.forEach(pipeline -> all.add(pipeline.runner()));
        return all;
    }

    /** The read routes the pipelines' plugins contribute. */
    List<ReadRoute> pluginRoutes() {
        List<ReadRoute> routes = new ArrayList<>();
        defined.forEach(pipeline -> routes.addAll(pipeline.routes()));
        return routes;
    }

    /**
     * Every running pipeline's dashboard panels by its name, in the order the pipelines were named: what its routes
     * plugins contribute (none for a pipeline without routes).
     */
    Map<String, List<Panel>> panels() {
        Map<String, List<Panel>> panels = new LinkedHashMap<>();
        for (Runner<?> runner : runners()) {
            panels.put(runner.pipeline(), List.of());
        }
        defined.forEach(pipeline -> panels.put(pipeline.name(), pipeline.panels()));
        return Collections.unmodifiableMap(panels);
    }

    /** What each pipeline is built of, by its name. */
    Map<String, PipelineOutline> outlines() {
        Map<String, PipelineOutline> outlines = new LinkedHashMap<>();
        defined.forEach(pipeline -> outlines.put(pipeline.name(), pipeline.outline()));
        return Collections.unmodifiableMap(outlines);
    }

    /** Every pipeline's state, counts, backlog and latest rejects, as of now: what {@code /api/status} serves. */
    List<PipelineStatus> statuses() {
        return statusBoard.snapshot();
    }

    /** The endpoints the running pipelines need, by name, for {@code GET /ready}. */
    Map<String, ReadinessCheck> readinessChecks() {
        return Collections.unmodifiableMap(readinessChecks);
    }

    /**
     * Stops every pipeline at once (each within its own stop timeout), then closes what they shared. Calling it
     * again does nothing.
     */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        defined.forEach(pipeline -> stopping.add(Thread.ofVirtual().start(pipeline::close)));
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
        return runners().stream().map(r -> summary(r.pipeline(), r.metrics(), r.inFlight())).toList();
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
