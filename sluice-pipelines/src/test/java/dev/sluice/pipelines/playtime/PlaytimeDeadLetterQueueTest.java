package dev.sluice.pipelines.playtime;

import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.redis.RedisSettings;
import dev.sluice.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Playtime releases a bad file's notification for redrive, so it relies on the queue's dead-letter queue: on the
 * embedded SQS (ElasticMQ), the shipped definition refuses a queue without a redrive policy unless the settings
 * allow it.
 */
class PlaytimeDeadLetterQueueTest {

    private final SqsClient sqs = PlaytimeHarness.SQS.newClient();
    private final RedisSettings redis = TestRedis.embedded().settings();

    @Test
    void aQueueWithADeadLetterQueuePasses() {
        String queue = "playtime-dlq-" + UUID.randomUUID();
        PlaytimeHarness.SQS.createQueueWithDeadLetterQueue(queue, 5);

        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(),
                PlaytimeHarness.config(redis, queue, "{}"))) {
            defined.assemble("playtime", UnaryOperator.identity()).close();
            assertThat(defined.probeNames()).contains("sqs:" + queue);
        }
    }

    @Test
    void aQueueWithoutADeadLetterQueueIsRefusedNamingTheQueueAndTheSetting() {
        String queue = "playtime-no-dlq-" + UUID.randomUUID();
        sqs.createQueue(r -> r.queueName(queue));

        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(),
                PlaytimeHarness.config(redis, queue, "{}"))) {
            assertThatThrownBy(() -> defined.assemble("playtime", UnaryOperator.identity()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("pipelines.playtime.source: ")
                    .hasMessageContaining("queue " + queue + " has no dead-letter queue (no RedrivePolicy attribute)")
                    .hasMessageContaining("requireDeadLetterQueue: false");
        }
    }

    @Test
    void aQueueWithoutADeadLetterQueuePassesWhenTheSettingsSaySo() {
        String queue = "playtime-no-dlq-" + UUID.randomUUID();
        sqs.createQueue(r -> r.queueName(queue));

        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(),
                PlaytimeHarness.config(redis, queue, "{}"),
                "pipelines: {playtime: {source: {requireDeadLetterQueue: false}}}")) {
            defined.assemble("playtime", UnaryOperator.identity()).close();
            assertThat(defined.probeNames()).contains("sqs:" + queue);
        }
    }
}
