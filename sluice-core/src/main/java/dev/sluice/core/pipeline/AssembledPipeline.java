package dev.sluice.core.pipeline;

import dev.sluice.core.engine.Runner;
import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobScheduler;
import dev.sluice.core.plugin.Plugin;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline built from its definition: its runner, its scheduled jobs, its read routes and the dashboard panels
 * that show their data. {@link #start()}
 * starts the runner and schedules the jobs; {@link #close()} stops the runner (within its stop timeout), then the
 * jobs, then closes what its parts opened for themselves.
 */
public final class AssembledPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AssembledPipeline.class);

    /** A job and when it runs. */
    public record ScheduledJob(Job job, JobSchedule schedule) {
    }

    private final String name;
    private final Runner<Event> runner;
    private final List<ScheduledJob> jobs;
    private final List<ReadRoute> routes;
    private final List<Panel> panels;
    private final PipelineOutline outline;
    private final List<AutoCloseable> closeAtEnd;
    private final List<JobScheduler> schedulers = new ArrayList<>();

    AssembledPipeline(String name, PipelineOutline outline, Runner<Event> runner, List<ScheduledJob> jobs,
                      Plugin.RoutesPart routes, List<AutoCloseable> closeAtEnd) {
        this.name = name;
        this.outline = outline;
        this.runner = runner;
        this.jobs = List.copyOf(jobs);
        this.routes = routes.routes();
        this.panels = routes.panels();
        this.closeAtEnd = closeAtEnd;
    }

    public String name() {
        return name;
    }

    /** What it is built of: each part's plugin type and step id, as the definition names them. */
    public PipelineOutline outline() {
        return outline;
    }

    public Runner<Event> runner() {
        return runner;
    }

    public List<ScheduledJob> jobs() {
        return jobs;
    }

    public List<ReadRoute> routes() {
        return routes;
    }

    /** What the dashboard shows of this pipeline's data, from its routes plugins, in the definition's order. */
    public List<Panel> panels() {
        return panels;
    }

    /** Starts the runner and schedules every job. */
    public synchronized void start(MeterRegistry registry, Clock clock) {
        runner.start();
        for (ScheduledJob job : jobs) {
            schedulers.add(JobScheduler.start(job.job(), job.schedule().every(), job.schedule().firstRun(),
                    job.schedule().maxRunTime(), registry, clock));
        }
    }

    @Override
    public synchronized void close() {
        runner.stop();
        for (JobScheduler scheduler : schedulers) {
            scheduler.close();
        }
        schedulers.clear();
        for (AutoCloseable resource : closeAtEnd.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("pipeline {}: closing {} failed", name, resource.getClass().getSimpleName(), e);
            }
        }
        closeAtEnd.clear();
    }
}
