package dev.sluice.cli;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.job.JobResult;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command that runs one of the tracking pipeline's scheduled jobs once, now ({@code sluice load tracking},
 * {@code sluice charts tracking}): every job of the definition's {@code jobs} is built as {@code sluice run} builds
 * them (building the load migrates the tables the charts count too), then the one of {@link #jobType()} runs under
 * the schedule's advisory lock and its summary is printed. Exit 0 when the job ran, 1 when another instance holds
 * its lock and this run was skipped.
 */
abstract class TrackingJobOnce implements Callable<Integer> {
    static final String PIPELINE = "tracking";

    @Option(names = "--config", paramLabel = "FILE",
            description = "sluice.yaml (default: built-in, from the environment)")
    Path config;

    @Spec
    CommandSpec spec;

    /** The plugin type of the job to run, as written in the definition's {@code jobs}. */
    abstract String jobType();

    @Override
    public Integer call() throws Exception {
        ConfigSource.Loaded loaded = ConfigSource.read(config, System.getenv());
        List<AutoCloseable> closeAtEnd = new ArrayList<>();
        try (Resources resources = new Resources(loaded.catalog(), loaded.definitions().root(), System.getenv(),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            try {
                PipelineAssembler assembler = new PipelineAssembler(loaded.catalog(), resources);
                ConfigNode definition = loaded.definitions().definition(PIPELINE);
                AssembledPipeline.ScheduledJob chosen = null;
                for (ConfigNode node : definition.at("jobs").elements()) {
                    String type = node.at("type").text().orElse("");
                    AssembledPipeline.ScheduledJob built = assembler.job(PIPELINE, definition, type, closeAtEnd);
                    chosen = type.equals(jobType()) ? built : chosen;
                }
                if (chosen == null) {
                    throw definition.at("jobs").problem("pipeline " + PIPELINE + " has no job of type " + jobType());
                }
                JobResult result = chosen.job().run();
                spec.commandLine().getOut().println(result.summary());
                return result.skipped() ? 1 : 0;
            } finally {
                for (AutoCloseable part : closeAtEnd.reversed()) {
                    part.close();
                }
            }
        }
    }
}
