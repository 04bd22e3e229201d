package dev.sluice.core.process;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.pipeline.TestPlugins;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginKind;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the processors of a pipeline written in YAML (a user file named {@code user.yaml}) with the core plugins
 * and the test catalog's memory source and collecting sinks, at a fixed clock and with a fresh keyset.
 */
final class ProcessorHarness {

    static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");

    final Keyset keyset = Keyset.generate();
    /** Ticks, as a runner needs, from noon of a known day: its date stays 2026-03-04 for the length of a test. */
    final Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), NOW));
    private final Catalog catalog = Catalog.of(List.of(new CorePlugins(), new TestPlugins()));
    private final ConfigLoader loader = new ConfigLoader(Map.of());
    private final Map<String, String> environment = Map.of(Keyset.ENV_KEYSET, keyset.toJson());
    private final AtomicInteger messages = new AtomicInteger();

    PipelineDefinitions definitions(String userYaml) {
        return PipelineDefinitions.load(catalog, loader, Optional.of(loader.read("user.yaml", userYaml)));
    }

    Resources resources(PipelineDefinitions definitions) {
        return new Resources(catalog, definitions.root(), environment, new SimpleMeterRegistry(), clock);
    }

    /** The whole pipeline {@code name}, built as a run builds it: config errors surface here. */
    AssembledPipeline assemble(String userYaml, String name) {
        PipelineDefinitions definitions = definitions(userYaml);
        return new PipelineAssembler(catalog, resources(definitions)).assemble(name, definitions.definition(name));
    }

    /**
     * The processors of pipeline {@code name} as one stage, each built with the fields the ones before it leave, as
     * the assembler builds them (checked through {@link #assemble} first, so a config error is the assembler's).
     */
    Stage<Event, Event> processors(String userYaml, String name) {
        assemble(userYaml, name).close();
        return build(userYaml, name).chain();
    }

    /** The fields pipeline {@code name}'s processors leave for its sink. */
    Fields fieldsAtSink(String userYaml, String name) {
        return build(userYaml, name).fields();
    }

    private record Built(Stage<Event, Event> chain, Fields fields) {
    }

    @SuppressWarnings("unchecked")
    private Built build(String userYaml, String name) {
        PipelineDefinitions definitions = definitions(userYaml);
        Resources resources = resources(definitions);
        Fields fields = Fields.UNKNOWN;
        Stage<Event, Event> chain = Outcome::emit;
        for (ConfigNode node : definitions.definition(name).at("processors").elements()) {
            Plugin<Object, Processor> plugin = (Plugin<Object, Processor>) catalog.plugin(PluginKind.PROCESSOR, node);
            Processor processor;
            try {
                processor = plugin.factory().create(node.without("type").bind(plugin.settingsType()),
                        resources.context(name, node.path(), fields, new ArrayList<>()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            fields = processor.fieldsAfter(fields);
            chain = chain.then(processor);
        }
        return new Built(chain, fields);
    }

    /** A message with {@code body}, as a queue delivers it. */
    Event event(String body) {
        String id = "m-" + messages.incrementAndGet();
        return Event.of(new Message(body, new SourceCoordinates.Queue("test", id, 1), NOW, id));
    }

    /** A pipeline {@code name} reading queue {@code name} with these processors (YAML list items, indented 6). */
    static String pipeline(String name, String processors) {
        return """
                pipelines:
                  %s:
                    source: {type: memory, queue: %s}
                    processors:
                %s
                    sink: {type: collect}
                    errors: {type: collect}
                """.formatted(name, name, processors.stripTrailing().indent(6).stripTrailing());
    }
}
