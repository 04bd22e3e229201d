package dev.sluice.pipelines;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigTree;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Source;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Pipelines built the way {@code sluice run} builds them: the definitions shipped on the class path with the
 * given YAML files merged over them, in order, from the catalog of every module on the class path.
 *
 * <pre>{@code
 * try (DefinedPipelines defined = DefinedPipelines.of(Map.of("SLUICE_KEYSET", keys.toJson()), endpointsYaml,
 *         "pipelines: {logins: {source: {queue: q}}}")) {
 *     AssembledPipeline logins = defined.start("logins", source -> source);
 * }
 * }</pre>
 */
public final class DefinedPipelines implements AutoCloseable {

    private final PipelineDefinitions definitions;
    private final Catalog catalog;
    private final Resources resources;

    private DefinedPipelines(PipelineDefinitions definitions, Catalog catalog, Resources resources) {
        this.definitions = definitions;
        this.catalog = catalog;
        this.resources = resources;
    }

    /** The definitions with {@code yamls} merged over them (each one like a user's sluice.yaml). */
    public static DefinedPipelines of(Map<String, String> environment, String... yamls) {
        return of(new SimpleMeterRegistry(), environment, yamls);
    }

    /** The same, with the parts' meters (the routes' snapshot, the sinks' files) in {@code registry}. */
    public static DefinedPipelines of(MeterRegistry registry, Map<String, String> environment, String... yamls) {
        ConfigLoader loader = new ConfigLoader(environment);
        ConfigTree user = null;
        for (int i = 0; i < yamls.length; i++) {
            ConfigTree next = loader.read("test-" + (i + 1) + ".yaml", yamls[i]);
            user = user == null ? next : user.merge(next);
        }
        Catalog catalog = Catalog.load();
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader, Optional.ofNullable(user));
        return new DefinedPipelines(definitions, catalog,
                new Resources(catalog, definitions.root(), environment, registry, Clock.systemUTC()));
    }

    public PipelineDefinitions definitions() {
        return definitions;
    }

    /** Builds {@code name} without starting it. */
    public AssembledPipeline assemble(String name, UnaryOperator<Source> sourceDecorator) {
        return new PipelineAssembler(catalog, resources).decoratingSources(sourceDecorator)
                .assemble(name, definitions.definition(name));
    }

    /** Builds and starts {@code name}; the caller closes it. */
    public AssembledPipeline start(String name, UnaryOperator<Source> sourceDecorator) {
        AssembledPipeline pipeline = assemble(name, sourceDecorator);
        pipeline.start(resources.registry(), Clock.systemUTC());
        return pipeline;
    }

    /** Only the processors {@code name} declares, chained as its runner chains them (they open nothing here). */
    public Stage<Message, Event> processors(String name) {
        return new PipelineAssembler(catalog, resources).processors(name, definitions.definition(name),
                new ArrayList<>());
    }

    /** Builds only the job of {@code type} that {@code name} declares, as {@code sluice load} does; not started. */
    public AssembledPipeline.ScheduledJob job(String name, String type, List<AutoCloseable> closeAtEnd) {
        return new PipelineAssembler(catalog, resources).job(name, definitions.definition(name), type, closeAtEnd);
    }

    /** Where the built parts register their metrics. */
    public MeterRegistry registry() {
        return resources.registry();
    }

    /** The readiness probes the built parts registered, by name. */
    public Map<String, dev.sluice.core.plugin.ReadinessProbe> probes() {
        return resources.probes();
    }

    /** Every readiness probe the built parts registered. */
    public List<String> probeNames() {
        return List.copyOf(resources.probes().keySet());
    }

    /** Closes what the pipelines shared (pools, clients); close the pipelines first. */
    @Override
    public void close() {
        resources.close();
    }
}
