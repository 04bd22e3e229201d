package dev.sluice.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.aws.plugin.AwsTestPlugins;
import dev.sluice.aws.plugin.PipelineHarness;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.PluginKind;
import dev.sluice.core.plugin.Plugin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code sqs} source plugin built from YAML through the assembler, against the embedded SQS. */
class SqsSourcePluginTest {

    private static ElasticMqTestServer sqs;
    private final PipelineHarness harness = new PipelineHarness();

    @BeforeAll
    static void startSqs() {
        sqs = ElasticMqTestServer.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @AfterEach
    void closePipelines() throws Exception {
        harness.close();
    }

    /** The {@code aws:} section for the embedded server, then {@code pipelines:} as given. */
    private static String yaml(String pipelines) {
        return """
                aws:
                  region: us-east-1
                  endpoints: {sqs: "%s"}
                  accessKeyId: local
                  secretAccessKey: local
                pipelines:
                """.formatted(sqs.endpoint()) + pipelines;
    }

    /** Line 7 of {@link #yaml}: pipeline {@code orders} reading {@code source}, into the collecting sink. */
    private static String orders(String source, String sink) {
        return yaml("""
                  orders:
                    source: %s
                    sink: %s
                    errors: {type: collect}
                    runner: {receivers: 1, batchSize: 10, linger: 10ms, backoff: {initial: 10ms, max: 100ms}}
                """.formatted(source, sink));
    }

    private static String name(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    @Test
    void theCatalogOfTheClassPathHasTheAwsSources() {
        assertThat(Catalog.load().plugins(PluginKind.SOURCE)).extracting(Plugin::type)
                .contains("kinesis", "s3_notifications", "sqs");
    }

    @Test
    void messagesArriveAsEventsWithTheirCoordinatesAndAreDeletedOnlyAfterTheSinkWrote() {
        String queueUrl = sqs.createQueue("orders");
        List<String> ids = sqs.send(queueUrl, List.of("{\"a\":1}", "{\"a\":2}"));
        CountDownLatch written = AwsTestPlugins.HOLDS.computeIfAbsent("orders", name -> new CountDownLatch(1));
        harness.start(orders("{type: sqs, queue: " + name(queueUrl) + ", waitTime: 1s}",
                "{type: collect, hold: true}"), "orders");

        await().atMost(Duration.ofSeconds(30)).until(() -> AwsTestPlugins.WRITTEN.getOrDefault("orders", List.of())
                .size() == 2);
        assertThat(sqs.depth(queueUrl)).as("held in the sink: not deleted yet").isEqualTo(2);
        List<Event> events = AwsTestPlugins.WRITTEN.get("orders");
        assertThat(events).extracting(event -> event.message().body())
                .containsExactlyInAnyOrder("{\"a\":1}", "{\"a\":2}");
        assertThat(events).extracting(event -> event.message().coordinates().naturalKey())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(events).allSatisfy(event -> assertThat(event.message().coordinates())
                .isEqualTo(new SourceCoordinates.Queue(name(queueUrl),
                        event.message().coordinates().naturalKey(), 1)));

        written.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.depth(queueUrl) == 0);
    }

    @Test
    void theQueueIsCheckedForReadinessUnderItsName() throws Exception {
        String queueUrl = sqs.createQueue("ready");
        harness.assemble(orders("{type: sqs, queue: " + name(queueUrl) + "}", "{type: collect}"), "orders");

        assertThat(harness.resources().probes()).containsOnlyKeys("sqs:" + name(queueUrl));
        harness.resources().probes().get("sqs:" + name(queueUrl)).check();
    }

    @Test
    void aMessageWrittenButNotAcknowledgedComesAgainAndIsWrittenUnderTheSameNaturalKey() {
        String queueUrl = sqs.createQueue("again");
        String id = sqs.send(queueUrl, List.of("once")).getFirst();
        harness.start(orders("{type: sqs, queue: " + name(queueUrl) + ", waitTime: 1s}",
                "{type: collect, failFirstWrite: true}"), "orders");

        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.depth(queueUrl) == 0);
        List<Event> events = AwsTestPlugins.WRITTEN.get("orders");
        assertThat(events).extracting(event -> event.message().coordinates().naturalKey()).containsExactly(id, id);
        assertThat(events).extracting(event -> ((SourceCoordinates.Queue) event.message().coordinates())
                .receiveCount()).containsExactly(1, 2);
        assertThat(AwsTestPlugins.REJECTED.getOrDefault("orders", List.of())).isEmpty();
    }

    @Test
    void aMessageWhoseClaimLapsedIsReadAgainUnderTheSameNaturalKey() {
        String queueUrl = sqs.createQueue("lapsed");
        String id = sqs.send(queueUrl, List.of("claimed")).getFirst();
        // Another reader claims it for a second and never deletes it: it crashed.
        assertThat(sqs.client().receiveMessage(r -> r.queueUrl(queueUrl).visibilityTimeout(1).waitTimeSeconds(5))
                .messages()).extracting(message -> message.messageId()).containsExactly(id);
        harness.start(orders("{type: sqs, queue: " + name(queueUrl) + ", waitTime: 1s}", "{type: collect}"),
                "orders");

        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.depth(queueUrl) == 0);
        assertThat(AwsTestPlugins.WRITTEN.get("orders")).singleElement().satisfies(event -> assertThat(
                event.message().coordinates()).isEqualTo(new SourceCoordinates.Queue(name(queueUrl), id, 2)));
    }

    @Test
    void aSettingOfTheWrongTypeIsAnErrorAtItsLineAndKey() {
        assertThatThrownBy(() -> harness.definitions(orders("{type: sqs, queue: q, waitTime: soon}",
                "{type: collect}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:35: pipelines.orders.source.waitTime: expected a duration like 20s or 500ms,"
                        + " got \"soon\"");
    }

    @Test
    void aRuleOfASettingIsAnErrorAtItsLineAndKey() {
        assertThatThrownBy(() -> harness.definitions(orders("{type: sqs, queue: q, maxMessagesPerPoll: 11}",
                "{type: collect}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:35: pipelines.orders.source.maxMessagesPerPoll: maxMessagesPerPoll must be"
                        + " between 1 and 10 (the SQS limit per receive), was 11");
    }

    @Test
    void anUnknownSettingIsAnErrorNamingTheKnownOnes() {
        assertThatThrownBy(() -> harness.definitions(orders("{type: sqs, queue: q, qeue: x}", "{type: collect}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:35: unknown key 'qeue' under pipelines.orders.source (known:"
                        + " maxMessagesPerPoll, queue, requireDeadLetterQueue, visibilityTimeout, waitTime)");
    }

    @Test
    void aSourceWithoutAQueueIsAnErrorAtTheSource() {
        assertThatThrownBy(() -> harness.definitions(orders("{type: sqs, waitTime: 1s}", "{type: collect}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:5: pipelines.orders.source: queue must be given: a queue name or a full"
                        + " queue URL");
    }

    @Test
    void aQueueThatDoesNotExistStopsTheStartAtTheSource() {
        assertThatThrownBy(() -> harness.assemble(orders("{type: sqs, queue: no-such-queue}", "{type: collect}"),
                "orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:8:5: pipelines.orders.source: SQS queue 'no-such-queue' does not exist at "
                        + sqs.endpoint());
    }

    @Test
    void twoPipelinesOnOneQueueAreRefusedEvenWhenOneNamesItByUrl() {
        String queueUrl = sqs.createQueue("shared");
        assertThatThrownBy(() -> harness.definitions(yaml("""
                  first:
                    source: {type: sqs, queue: %s}
                    sink: {type: collect}
                    errors: {type: collect}
                  second:
                    source: {type: sqs, queue: "%s"}
                    sink: {type: collect}
                    errors: {type: collect}
                """.formatted(name(queueUrl), queueUrl))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:12:5: pipelines.second.source: pipelines first and second both read SQS queue "
                        + name(queueUrl) + "; each message would reach only one of them (give each pipeline its own)");
    }

    @Test
    void aQueueWithoutDeadLetterQueueIsRefusedWhenOneIsRequired() {
        String queueUrl = sqs.createQueue("no-dlq");
        sqs.send(queueUrl, List.of("waiting"));
        assertThatThrownBy(() -> harness.assemble(orders("{type: sqs, queue: " + name(queueUrl)
                + ", requireDeadLetterQueue: true}", "{type: collect}"), "orders"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("pipelines.orders.source: SQS queue " + name(queueUrl) + " has no dead-letter queue (no"
                        + " RedrivePolicy attribute), so a message released again and again would come back until"
                        + " the queue's retention period ends; give the queue a redrive policy, or set"
                        + " requireDeadLetterQueue: false to read it without one");
        assertThat(sqs.depth(queueUrl)).as("nothing received").isEqualTo(1);
    }

    @Test
    void aQueueWithDeadLetterQueueStartsWhenOneIsRequired() {
        String queueUrl = sqs.createQueueWithDeadLetterQueue("with-dlq", 3).queueUrl();
        harness.assemble(orders("{type: sqs, queue: " + name(queueUrl) + ", requireDeadLetterQueue: true}",
                "{type: collect}"), "orders");

        assertThat(harness.resources().probes()).containsKey("sqs:" + name(queueUrl));
    }
}
