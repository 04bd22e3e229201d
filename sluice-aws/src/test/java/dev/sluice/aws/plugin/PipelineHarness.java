package dev.sluice.aws.plugin;

import dev.sluice.aws.AwsPlugins;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Builds pipelines from YAML text written as a user's {@code user.yaml}, with the AWS plugins and
 * {@link AwsTestPlugins}, the way a process does; {@link #close()} lets held sinks go, closes the pipelines and the
 * shared resources, and forgets what the test plugins collected.
 */
public final class PipelineHarness implements AutoCloseable {

    private final Catalog catalog = Catalog.of(List.of(new AwsPlugins(), new AwsTestPlugins()));
    private final ConfigLoader loader = new ConfigLoader(Map.of());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Resources resources;

    public PipelineDefinitions definitions(String yaml) {
        return PipelineDefinitions.load(catalog, loader, Optional.of(loader.read("user.yaml", yaml)));
    }

    /** Builds pipeline {@code name} of {@code yaml}; it is closed with the harness. */
    public AssembledPipeline assemble(String yaml, String name) {
        PipelineDefinitions definitions = definitions(yaml);
        if (resources == null) {
            resources = new Resources(catalog, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                    Clock.systemUTC());
        }
        AssembledPipeline pipeline = new PipelineAssembler(catalog, resources).assemble(name,
                definitions.definition(name));
        opened.add(pipeline);
        return pipeline;
    }

    /** Builds and starts pipeline {@code name} of {@code yaml}. */
    public AssembledPipeline start(String yaml, String name) {
        AssembledPipeline pipeline = assemble(yaml, name);
        pipeline.start(resources.registry(), resources.clock());
        return pipeline;
    }

    public Resources resources() {
        return resources;
    }

    @Override
    public void close() throws Exception {
        AwsTestPlugins.HOLDS.values().forEach(CountDownLatch::countDown);
        for (AutoCloseable pipeline : opened.reversed()) {
            pipeline.close();
        }
        if (resources != null) {
            resources.close();
        }
        AwsTestPlugins.forget();
    }
}
