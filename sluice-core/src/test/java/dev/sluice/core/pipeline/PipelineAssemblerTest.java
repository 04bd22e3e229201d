package dev.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineAssemblerTest {

    private final Catalog catalog = Catalog.of(List.of(new TestPlugins()));
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    @AfterEach
    void forget() {
        TestPlugins.QUEUES.clear();
        TestPlugins.WRITTEN.clear();
        TestPlugins.REJECTED.clear();
    }

    private PipelineDefinitions definitions(String userYaml) {
        return PipelineDefinitions.load(catalog, loader,
                userYaml == null ? Optional.empty() : Optional.of(loader.read("user.yaml", userYaml)));
    }

    /**
     * A user's pipeline {@code echoes} beside the shipped one: from an in-memory queue into the collecting sinks,
     * with {@code parts} (YAML keys of the definition: processors, routes, …) added.
     */
    private PipelineDefinitions echoes(String parts) {
        return definitions("""
                pipelines:
                  echoes:
                    source: {type: memory, queue: echoes}
                    sink: {type: collect}
                    errors: {type: collect}
                """ + parts.indent(4));
    }

    private AssembledPipeline assemble(PipelineDefinitions definitions, String name) {
        return assembler(definitions).assemble(name, definitions.definition(name));
    }

    private PipelineAssembler assembler(PipelineDefinitions definitions) {
        Resources resources = new Resources(catalog, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                Clock.systemUTC());
        return new PipelineAssembler(catalog, resources);
    }

    @Test
    void aShippedDefinitionRunsFromSourceThroughItsProcessorsToItsSinksAndAcknowledges() {
        try (AssembledPipeline greetings = assemble(definitions(null), "greetings")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("greetings");
            queue.send("hello");
            queue.send("bad");
            greetings.start(new SimpleMeterRegistry(), Clock.systemUTC());
            await().atMost(Duration.ofSeconds(20)).until(() -> queue.remaining() == 0);
            assertThat(TestPlugins.WRITTEN.get("greetings")).singleElement()
                    .satisfies(event -> assertThat(event.record().string("greeting")).isEqualTo("hello"));
            assertThat(TestPlugins.REJECTED.get("greetings")).singleElement()
                    .satisfies(reject -> assertThat(reject.reason()).isEqualTo("greeting: the body is bad"));
        }
    }

    @Test
    void aPartialRunnerOverrideKeepsTheShippedRunnerSettings() {
        PipelineDefinitions definitions = definitions("""
                pipelines:
                  greetings:
                    runner:
                      writers: 3
                """);
        RunnerSettings runner = definitions.definition("greetings").at("runner").bind(RunnerSettings.class);
        assertThat(runner.writers()).isEqualTo(3);
        assertThat(runner.batchSize()).isEqualTo(1);
        assertThat(runner.maxInFlight()).isEqualTo(50);
    }

    @Test
    void aUserPipelineBesideTheShippedOneRunsToo() {
        PipelineDefinitions definitions = echoes("""
                processors:
                  - {type: from_body, field: echo, declares: [echo]}
                  - {type: needs, field: echo}
                """);
        assertThat(definitions.names()).containsExactly("greetings", "echoes");
        try (AssembledPipeline echoes = assemble(definitions, "echoes")) {
            TestPlugins.QUEUES.get("echoes").send("hi");
            echoes.start(new SimpleMeterRegistry(), Clock.systemUTC());
            await().atMost(Duration.ofSeconds(20)).until(() -> TestPlugins.QUEUES.get("echoes").remaining() == 0);
            assertThat(TestPlugins.WRITTEN.get("echoes")).hasSize(1);
        }
    }

    @Test
    void theRoutesStepsContributeTheirRoutesAndTheirPanelsInTheDefinitionsOrder() {
        PipelineDefinitions definitions = echoes("""
                routes:
                  - {type: echo, path: /api/echoes/b, kind: partitions}
                  - {type: echo, path: /api/echoes/scripts}
                  - {type: echo, path: /api/echoes/a, kind: leaderboard}
                """);
        try (AssembledPipeline echoes = assemble(definitions, "echoes")) {
            assertThat(echoes.routes()).extracting(ReadRoute::path)
                    .containsExactly("/api/echoes/b", "/api/echoes/scripts", "/api/echoes/a");
            assertThat(echoes.panels()).as("routes only scripts read show no panel").containsExactly(
                    new Panel("partitions", "echoes echo", "/api/echoes/b"),
                    new Panel("leaderboard", "echoes echo", "/api/echoes/a"));
        }
        try (AssembledPipeline greetings = assemble(definitions, "greetings")) {
            assertThat(greetings.panels()).isEmpty();
        }
    }

    @Test
    void theOutlineNamesEachPartsTypeAndIdInTheDefinitionsOrder() {
        PipelineDefinitions definitions = echoes("""
                processors:
                  - {id: body, type: from_body, field: echo, declares: [echo]}
                  - {type: needs, field: echo}
                routes:
                  - {id: api, type: echo, path: /api/echoes}
                """);
        try (AssembledPipeline echoes = assemble(definitions, "echoes")) {
            PipelineOutline outline = echoes.outline();
            assertThat(outline.source()).isEqualTo(new PipelineOutline.Step("memory", null));
            assertThat(outline.processors()).containsExactly(new PipelineOutline.Step("from_body", "body"),
                    new PipelineOutline.Step("needs", null));
            assertThat(outline.sink().type()).isEqualTo("collect");
            assertThat(outline.errors().type()).isEqualTo("collect");
            assertThat(outline.jobs()).isEmpty();
            assertThat(outline.routes()).containsExactly(new PipelineOutline.Step("echo", "api"));
        }
    }

    @Test
    void aPanelReadsRoutesBehindTheTokenAndHasALowerSnakeCaseKind() {
        assertThatThrownBy(() -> new Panel("leaderboard", "Top", "/public/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/api/");
        assertThatThrownBy(() -> new Panel("Leader Board", "Top", "/api/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower snake case");
        assertThat(new Panel("leaderboard", "Top", "/api/x", Map.of("a", "1")).options()).containsEntry("a", "1");
    }

    @Test
    void anUnknownPluginTypeNamesTheFileLineKeyAndTheKnownTypes() {
        assertThatThrownBy(() -> definitions("""
                pipelines:
                  greetings:
                    sink:
                      type: colect
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:4:7: pipelines.greetings.sink.type: unknown sink type 'colect' (known:"
                        + " collect, ordered)");
    }

    @Test
    void aSettingOfTheWrongTypeNamesItsKeyInTheUsersFile() {
        assertThatThrownBy(() -> definitions("""
                pipelines:
                  greetings:
                    runner:
                      batchSize: many
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:4:7: pipelines.greetings.runner.batchSize: expected an integer, got \"many\"");
    }

    @Test
    void anUnknownSettingOfAPluginIsAnError() {
        assertThatThrownBy(() -> definitions("""
                pipelines:
                  greetings:
                    source:
                      queue: greetings
                      qeue: typo
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:5:7: unknown key 'qeue' under pipelines.greetings.source");
    }

    @Test
    void aProcessorThatNeedsAFieldTheSchemaDoesNotDeclareIsAnErrorAtItsKey() {
        PipelineDefinitions definitions = definitions("""
                pipelines:
                  echoes:
                    source: {type: memory, queue: echoes}
                    processors:
                      - {type: from_body, field: echo, declares: [echo]}
                      - type: needs
                        field: ecko
                    sink: {type: collect}
                    errors: {type: collect}
                """);
        assertThatThrownBy(() -> assemble(definitions, "echoes"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:7:9: pipelines.echoes.processors[1].field: no field 'ecko' reaches this point"
                        + " (this processor reads it; the fields here are echo)");
    }

    @Test
    void anOverrideOfAPipelineThatIsNotShippedIsAnError() {
        assertThatThrownBy(() -> definitions("""
                pipelines:
                  greetngs:
                    runner: {writers: 2}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:2:3: pipelines.greetngs: no pipeline named 'greetngs' is shipped to override"
                        + " (shipped: greetings); a new pipeline needs at least a source, a sink and an errors sink");
    }

    @Test
    void twoPipelinesReadingTheSameQueueAreRefused() {
        assertThatThrownBy(() -> definitions("""
                pipelines:
                  copies:
                    source: {type: memory, queue: greetings}
                    sink: {type: collect}
                    errors: {type: collect}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:3:5: pipelines.copies.source: pipelines greetings and copies both read memory"
                        + " queue greetings; each message would reach only one of them (give each pipeline its own)");
    }

    @Test
    void aDefinitionFileThatIsNotYamlIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> definitions("pipelines:\n  a: [1, 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:3:1: not valid YAML");
    }

    @Test
    void anUnknownKeyInADefinitionOrAtTheTopLevelIsAnError() {
        assertThatThrownBy(() -> definitions("pipelines:\n  greetings:\n    sinks: {type: collect}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:3:5: pipelines.greetings.sinks: unknown key 'sinks' in a pipeline"
                        + " definition (known: description, errors, jobs, processors, routes, runner, sink, source,"
                        + " startByDefault)");
        assertThatThrownBy(() -> definitions("pipelnes: {}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:1:1: pipelnes: unknown key 'pipelnes' at the top level (known: pipelines)");
    }

    @Test
    void aSinkThatNeedsOrderedWritesRefusesSeveralWriters() {
        PipelineDefinitions definitions = definitions("""
                pipelines:
                  greetings:
                    sink: {type: ordered}
                    runner: {writers: 2}
                """);
        assertThatThrownBy(() -> assemble(definitions, "greetings"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:4:5: pipelines.greetings.runner: sink type ordered needs its writes in source"
                        + " order: set receivers: 1 and writers: 1 (got 4 and 2)");
    }

    @Test
    void anOverrideChangesOneProcessorByItsIdAndErrorsPointAtTheOverridingLine() {
        PipelineDefinitions definitions = definitions("""
                pipelines:
                  greetings:
                    processors:
                      - id: body
                        field: salutation
                """);
        assertThat(definitions.definition("greetings").at("processors").elements()).singleElement()
                .satisfies(step -> {
                    assertThat(step.at("type").text()).contains("from_body");
                    assertThat(step.at("field").text()).contains("salutation");
                });
        assertThatThrownBy(() -> definitions("""
                pipelines:
                  greetings:
                    processors:
                      - id: body
                        field: [not, a, name]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:5:9: pipelines.greetings.processors[0].field: expected a string");
    }

    @Test
    void aListWithoutIdsReplacesTheShippedList() {
        PipelineDefinitions definitions = definitions("""
                pipelines:
                  greetings:
                    processors:
                      - {type: from_body, field: a}
                      - {type: from_body, field: b}
                """);
        assertThat(definitions.definition("greetings").at("processors").elements()).hasSize(2);
    }

    @Test
    void aProcessorChainRunsTheSourcesDecodersWithoutOpeningItAndCanBeASliceById() {
        PipelineDefinitions definitions = definitions("""
                pipelines:
                  decoded:
                    source: {type: unreachable, queue: decoded}
                    processors:
                      - {id: first, type: needs, field: decoded}
                      - {id: second, type: from_body, field: body, declares: [body]}
                    sink: {type: collect}
                    errors: {type: collect}
                """);
        PipelineAssembler assembler = assembler(definitions);
        ConfigNode definition = definitions.definition("decoded");
        Message message = new Message("hi", new SourceCoordinates.Queue("decoded", "m-1", 1), Instant.EPOCH, "r");

        PipelineAssembler.ProcessorChain whole = assembler.processorChain("decoded", definition, List.of(),
                new ArrayList<>());
        assertThat(whole.fields().all()).extracting(FieldSpec::name).containsExactly("body");
        assertThat(whole.sinkWrapper()).isEmpty();
        assertThat(((Outcome.Emit<Event>) whole.stages().apply(message)).value().record().values())
                .containsExactly(Map.entry("body", "hi"));

        PipelineAssembler.ProcessorChain first = assembler.processorChain("decoded", definition, List.of("first"),
                new ArrayList<>());
        assertThat(first.fields().all()).extracting(FieldSpec::name).containsExactly("decoded");
        assertThat(((Outcome.Emit<Event>) first.stages().apply(message)).value().record().values())
                .containsExactly(Map.entry("decoded", "HI"));

        assertThatThrownBy(() -> assembler.processorChain("decoded", definition, List.of("third"), new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pipeline decoded has no processor with id 'third' (its ids: first, second)");
    }
}
