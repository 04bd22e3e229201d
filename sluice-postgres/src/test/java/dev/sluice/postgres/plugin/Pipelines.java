package dev.sluice.postgres.plugin;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process's pipelines as {@code sluice run} builds them: a user's file (named {@code user.yaml} in errors) read
 * with the catalog of the Postgres plugins and the test plugins, and the resources they share, closed at the end.
 */
final class Pipelines implements AutoCloseable {

    static final Catalog CATALOG = Catalog.of(List.of(new PostgresPlugins(), new TestPlugins()));

    private final PipelineDefinitions definitions;
    private final Resources resources;

    Pipelines(String yaml) {
        ConfigLoader loader = new ConfigLoader(Map.of());
        definitions = PipelineDefinitions.load(CATALOG, loader, Optional.of(loader.read("user.yaml", yaml)));
        resources = new Resources(CATALOG, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    Resources resources() {
        return resources;
    }

    AssembledPipeline assemble(String name) {
        return new PipelineAssembler(CATALOG, resources).assemble(name, definitions.definition(name));
    }

    AssembledPipeline start(String name) {
        AssembledPipeline pipeline = assemble(name);
        pipeline.start(resources.registry(), resources.clock());
        return pipeline;
    }

    @Override
    public void close() {
        resources.close();
    }
}
