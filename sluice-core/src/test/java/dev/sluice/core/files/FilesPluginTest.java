package dev.sluice.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.pipeline.TestPlugins;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import dev.sluice.core.process.CorePlugins;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code files} sink built from YAML through the assembler, with the test catalog's memory queue and store. */
class FilesPluginTest {

    private final Catalog catalog = Catalog.of(List.of(new CorePlugins(), new TestPlugins(), new FilesTestPlugins()));
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    @TempDir
    Path work;

    @AfterEach
    void forget() {
        TestPlugins.QUEUES.clear();
        TestPlugins.WRITTEN.clear();
        TestPlugins.REJECTED.clear();
        FilesTestPlugins.BUCKETS.clear();
    }

    /** Pipeline {@code clicks}: JSON with a schema into files partitioned by {@code partition} (line 14). */
    private String clicks(String partition, String more) {
        return """
                pipelines:
                  clicks:
                    source: {type: memory, queue: clicks}
                    processors:
                      - {type: parse_json}
                      - type: schema
                        fields:
                          id: {type: string}
                          type: {type: string, required: false}
                    sink:
                      type: files
                      store: memory
                      bucket: lake
                      prefix: clicks/
                      partition: "%s"
                      roll: {maxEvents: 2, maxAge: 1s}
                      workDirectory: "%s"%s
                    errors: {type: collect}
                    runner: {receivers: 1, writers: 1, batchSize: 10, linger: 0ms}
                """.formatted(partition, work, more);
    }

    private AssembledPipeline assemble(String yaml) {
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader,
                Optional.of(loader.read("user.yaml", yaml)));
        Resources resources = new Resources(catalog, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                Clock.systemUTC());
        return new PipelineAssembler(catalog, resources).assemble("clicks", definitions.definition("clicks"));
    }

    @Test
    void eventsReachFilesByPartitionNamedByTheirFirstMessageAndAreAcknowledgedOnceStored() {
        try (AssembledPipeline pipeline = assemble(clicks("type={type}", ""))) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("clicks");
            String first = queue.send("{\"id\":\"1\",\"type\":\"view\"}");
            queue.send("{\"id\":\"2\",\"type\":\"view\"}");
            String third = queue.send("{\"id\":\"3\"}");
            queue.send("{\"id\": 4}");
            pipeline.start(new SimpleMeterRegistry(), Clock.systemUTC());

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            MemoryObjectStore lake = FilesTestPlugins.BUCKETS.get("lake");
            assertThat(lake.objects).containsOnlyKeys("clicks/type=view/" + first + "-1.json.gz",
                    "clicks/type=__missing__/" + third + "-1.json.gz");
            assertThat(lake.lines("clicks/type=view/" + first + "-1.json.gz")).containsExactly(
                    "{\"id\":\"1\",\"type\":\"view\"}", "{\"id\":\"2\",\"type\":\"view\"}");
            assertThat(lake.lines("clicks/type=__missing__/" + third + "-1.json.gz")).containsExactly(
                    "{\"id\":\"3\"}");
            assertThat(TestPlugins.REJECTED.get("clicks")).singleElement()
                    .satisfies(reject -> assertThat(reject.reason()).startsWith("id: "));
        }
    }

    @Test
    void aRawBodyThatCannotBeOneLineIsRejectedAndTheRestOfItsBatchIsStored() {
        try (AssembledPipeline pipeline = assemble("""
                pipelines:
                  clicks:
                    source: {type: memory, queue: clicks}
                    sink:
                      type: files
                      store: memory
                      bucket: raw
                      format: raw_ndjson_gzip
                      roll: {maxEvents: 2, maxAge: 1s}
                      workDirectory: "%s"
                    errors: {type: collect}
                    runner: {receivers: 1, writers: 1, batchSize: 10, linger: 0ms}
                """.formatted(work))) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("clicks");
            String first = queue.send("{\"id\": 1}");
            String broken = queue.send("not\njson");
            queue.send("{\n  \"id\": 2\n}");
            pipeline.start(new SimpleMeterRegistry(), Clock.systemUTC());

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            MemoryObjectStore raw = FilesTestPlugins.BUCKETS.get("raw");
            assertThat(raw.allLines()).containsExactly("{\"id\": 1}", "{\"id\":2}");
            assertThat(raw.objects).containsOnlyKeys(first + "-1.json.gz");
            assertThat(TestPlugins.REJECTED.get("clicks")).singleElement().satisfies(reject -> {
                assertThat(reject.source().coordinates().naturalKey()).isEqualTo(broken);
                assertThat(reject.reason()).isEqualTo("raw_ndjson_gzip: a body that spans lines must be a JSON object"
                        + " to be written again as one line; body: not valid JSON (line 1, column 1)");
            });
        }
    }

    @Test
    void filesAStoreRefusesAreGivenUpTheirMessagesComeAgainAndAreStoredOnceTheStoreTakesThem() {
        try (AssembledPipeline pipeline = assemble(clicks("", ""))) {
            MemoryObjectStore lake = FilesTestPlugins.BUCKETS.get("lake");
            lake.refusing = true;
            InMemoryQueue queue = TestPlugins.QUEUES.get("clicks");
            queue.send("{\"id\":\"1\"}");
            queue.send("{\"id\":\"2\"}");
            pipeline.start(new SimpleMeterRegistry(), Clock.systemUTC());

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.releases() > 0);
            assertThat(lake.objects).isEmpty();
            assertThat(queue.remaining()).isEqualTo(2);
            lake.refusing = false;

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            assertThat(lake.allLines()).containsExactlyInAnyOrder("{\"id\":\"1\"}", "{\"id\":\"2\"}");
            assertThat(work).isEmptyDirectory();
        }
    }

    @Test
    void withoutAWorkDirectoryEachRunWritesInANewTemporaryOne() {
        String yaml = clicks("", "").replace("workDirectory: \"" + work + "\"", "maxOpenFiles: 1");
        try (AssembledPipeline pipeline = assemble(yaml)) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("clicks");
            String first = queue.send("{\"id\":\"1\"}");
            queue.send("{\"id\":\"2\"}");
            pipeline.start(new SimpleMeterRegistry(), Clock.systemUTC());

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            assertThat(FilesTestPlugins.BUCKETS.get("lake").objects).containsOnlyKeys("clicks/" + first + "-1.json.gz");
        }
    }

    @Test
    void aPartitionFieldThatDoesNotReachTheSinkIsAConfigErrorAtPartition() {
        assertThatThrownBy(() -> assemble(clicks("dt={created_date}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:15:7: pipelines.clicks.sink.partition: no field 'created_date' reaches this"
                        + " point (the partition template uses it; the fields here are id, type)");
    }

    @Test
    void badSettingsAreConfigErrorsAtTheirKeys() {
        assertThatThrownBy(() -> assemble(clicks("type={type", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:15:7: pipelines.clicks.sink.partition: a '{' or '}' that is not part");
        assertThatThrownBy(() -> assemble(clicks("", "\n      format: parquet")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:18:7: pipelines.clicks.sink.format: no FileFormat named 'parquet' (offered:"
                        + " ndjson_gzip, raw_ndjson_gzip)");
        assertThatThrownBy(() -> assemble(clicks("", "").replace("store: memory", "store: s4")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:12:7: pipelines.clicks.sink.store: no ObjectStores named 's4' (offered:"
                        + " memory)");
        assertThatThrownBy(() -> assemble(clicks("", "").replace("prefix: clicks/", "prefix: clicks")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:14:7: pipelines.clicks.sink.prefix: prefix must be empty or end with '/', and"
                        + " must not start with '/', was 'clicks'");
        assertThatThrownBy(() -> assemble(clicks("", "").replace("bucket: lake", "bucket: \"\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipelines.clicks.sink.bucket: bucket is required");
        assertThatThrownBy(() -> assemble(clicks("", "\n      partitionFieldsInFiles: false")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:18:7: pipelines.clicks.sink.partitionFieldsInFiles: false needs a partition template (there are no partition fields to leave out)");
    }

    @Test
    void withoutMaxInFlightTheRunnerHoldsEnoughMessagesToFillAFile() {
        // 3,000 events per file, more than the engine's default of 2,000 in flight: with that default no file could
        // fill, and with maxAge an hour none would be stored within the test.
        String yaml = clicks("", "").replace("roll: {maxEvents: 2, maxAge: 1s}", "roll: {maxEvents: 3000, maxAge: 1h}");
        try (AssembledPipeline pipeline = assemble(yaml)) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("clicks");
            for (int i = 0; i < 3000; i++) {
                queue.send("{\"id\":\"" + i + "\"}");
            }
            pipeline.start(new SimpleMeterRegistry(), Clock.systemUTC());

            await().atMost(Duration.ofSeconds(60)).until(() -> queue.remaining() == 0);
            assertThat(FilesTestPlugins.BUCKETS.get("lake").allLines()).hasSize(3000);
        }
    }

    @Test
    void aMaxInFlightThatCannotFillAFileIsAConfigErrorAtIt() {
        String yaml = clicks("", "").replace("batchSize: 10", "batchSize: 10, maxInFlight: 2");
        assertThatThrownBy(() -> assemble(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:19:")
                .hasMessageContaining("pipelines.clicks.runner.maxInFlight: must exceed the sink's roll.maxEvents (2):"
                        + " messages are acknowledged only when their file is stored");
    }
}
