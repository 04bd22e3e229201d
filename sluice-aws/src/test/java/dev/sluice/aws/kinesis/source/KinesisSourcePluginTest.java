package dev.sluice.aws.kinesis.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.aws.plugin.AwsTestPlugins;
import dev.sluice.aws.plugin.PipelineHarness;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.pipeline.Event;
import dev.sluice.local.EmbeddedKinesis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The {@code kinesis} source plugin built from YAML through the assembler, against the kinesis-local emulator, with
 * its checkpoints in the in-memory store the test catalog offers as {@code memory}.
 */
class KinesisSourcePluginTest {

    private static EmbeddedKinesis kinesis;
    private static KinesisClient client;

    private final PipelineHarness harness = new PipelineHarness();

    @BeforeAll
    static void startKinesis() {
        kinesis = EmbeddedKinesis.start();
        client = kinesis.newClient();
    }

    @AfterAll
    static void stopKinesis() {
        client.close();
        kinesis.close();
    }

    @AfterEach
    void closePipelines() throws Exception {
        harness.close();
    }

    /** Pipeline {@code events} reading {@code source} (line 8), into the collecting sink {@code sink}. */
    private static String events(String source, String sink) {
        return """
                aws:
                  region: us-east-1
                  endpoints: {kinesis: "%s"}
                  accessKeyId: local
                  secretAccessKey: local
                pipelines:
                  events:
                    source: %s
                    sink: %s
                    errors: {type: collect}
                    runner: {receivers: 1, writers: 1, batchSize: 10, linger: 10ms}
                """.formatted(kinesis.endpoint(), source, sink);
    }

    private static String newStream() {
        String stream = "events-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(stream, 1);
        return stream;
    }

    /** Puts the bodies in one call; returns what Kinesis said of each, in order. */
    private static List<PutRecordsResultEntry> put(String stream, List<String> bodies) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (String body : bodies) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(body).data(SdkBytes.fromUtf8String(body))
                    .build());
        }
        List<PutRecordsResultEntry> results = client.putRecords(r -> r.streamName(stream).records(entries)).records();
        assertThat(results).extracting(PutRecordsResultEntry::errorCode).containsOnlyNulls();
        return results;
    }

    @Test
    void recordsArriveAsEventsWithTheirCoordinatesAndAreCheckpointedOnlyAfterTheSinkWrote() {
        String stream = newStream();
        List<PutRecordsResultEntry> sent = put(stream, List.of("a", "b", "c"));
        String shard = sent.getFirst().shardId();
        CountDownLatch written = AwsTestPlugins.HOLDS.computeIfAbsent("events", name -> new CountDownLatch(1));
        harness.start(events("{type: kinesis, stream: " + stream + ", checkpoints: memory, pollWait: 100ms,"
                + " checkpointInterval: 100ms}", "{type: collect, hold: true}"), "events");

        await().atMost(Duration.ofSeconds(30)).until(() -> AwsTestPlugins.WRITTEN.getOrDefault("events", List.of())
                .size() == 3);
        List<Event> events = AwsTestPlugins.WRITTEN.get("events");
        assertThat(events).extracting(event -> event.message().body()).containsExactly("a", "b", "c");
        assertThat(events).extracting(event -> event.message().coordinates()).containsExactlyElementsOf(sent.stream()
                .map(put -> new SourceCoordinates.Stream(stream, put.shardId(), put.sequenceNumber())).toList());
        assertThat(events).extracting(event -> event.message().coordinates().naturalKey())
                .containsExactlyElementsOf(sent.stream().map(put -> shard + "@" + put.sequenceNumber()).toList());
        assertThat(AwsTestPlugins.CHECKPOINTS.load(stream)).as("held in the sink: not checkpointed yet").isEmpty();

        written.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> AwsTestPlugins.CHECKPOINTS.load(stream).get(shard),
                checkpoint -> checkpoint != null && checkpoint.equals(new Checkpoint(shard,
                        sent.getLast().sequenceNumber(), false)));
    }

    @Test
    void theStreamIsCheckedForReadinessUnderItsName() throws Exception {
        String stream = newStream();
        harness.assemble(events("{type: kinesis, stream: " + stream + ", checkpoints: memory}", "{type: collect}"),
                "events");

        assertThat(harness.resources().probes()).containsOnlyKeys("kinesis:" + stream);
        harness.resources().probes().get("kinesis:" + stream).check();
    }

    @Test
    void anUnknownCheckpointStoreIsAnErrorAtItsKeyNamingTheOfferedOnes() {
        assertThatThrownBy(() -> harness.assemble(events("{type: kinesis, stream: s, checkpoints: postgress}",
                "{type: collect}"), "events"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:40: pipelines.events.source.checkpoints: no CheckpointStore named"
                        + " 'postgress' (offered: memory)");
    }

    @Test
    void theCheckpointsAreInPostgresUnlessToldOtherwise() {
        assertThatThrownBy(() -> harness.assemble(events("{type: kinesis, stream: s}", "{type: collect}"), "events"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:5: pipelines.events.source: checkpoints: no CheckpointStore named 'postgres'"
                        + " (offered: memory)");
    }

    @Test
    void aStreamWithoutNameIsAnErrorAtTheSource() {
        assertThatThrownBy(() -> harness.definitions(events("{type: kinesis, checkpoints: memory}",
                "{type: collect}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:5: pipelines.events.source: stream must be given: the Kinesis stream's name");
    }

    @Test
    void aStreamThatDoesNotExistStopsTheStartAtTheSource() {
        assertThatThrownBy(() -> harness.assemble(events("{type: kinesis, stream: no-such-stream, checkpoints: memory}",
                "{type: collect}"), "events"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:5: pipelines.events.source: Kinesis stream 'no-such-stream' does not exist");
    }

    @Test
    void twoPipelinesOnOneStreamAreRefused() {
        String yaml = events("{type: kinesis, stream: shared, checkpoints: memory}", "{type: collect}") + """
                  copies:
                    source: {type: kinesis, stream: shared, checkpoints: memory}
                    sink: {type: collect}
                    errors: {type: collect}
                """;
        assertThatThrownBy(() -> harness.definitions(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:13:5: pipelines.copies.source: pipelines events and copies both read Kinesis"
                        + " stream shared; each message would reach only one of them (give each pipeline its own)");
    }
}
