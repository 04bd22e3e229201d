package dev.sluice.pipelines.playtime;

import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Playtime releases a bad file's notification for redrive, so it relies on the queue's dead-letter queue: on the
 * embedded SQS (ElasticMQ), a queue without a redrive policy is refused unless the settings allow it.
 */
class PlaytimeDeadLetterQueueTest {

    private final SqsClient sqs = PlaytimeHarness.SQS.newClient();

    @Test
    void aQueueWithADeadLetterQueuePassesShowingItsRedrivePolicy() {
        String queue = "playtime-dlq-" + UUID.randomUUID();
        PlaytimeHarness.SQS.createQueueWithDeadLetterQueue(queue, 5);

        try (SqsSource source = SqsSource.connect(sqs, SqsSourceSettings.of(queue))) {
            assertThat(PlaytimePipeline.checkDeadLetterQueue(settings(queue, null), source))
                    .startsWith("redrive policy ").contains(queue + "-dlq").contains("\"maxReceiveCount\":5");
        }
    }

    @Test
    void aQueueWithoutADeadLetterQueueIsRefusedNamingTheQueueAndTheSetting() {
        String queue = "playtime-no-dlq-" + UUID.randomUUID();
        sqs.createQueue(r -> r.queueName(queue));

        try (SqsSource source = SqsSource.connect(sqs, SqsSourceSettings.of(queue))) {
            assertThatThrownBy(() -> PlaytimePipeline.checkDeadLetterQueue(settings(queue, null), source))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queue " + queue + " has no dead-letter queue (no RedrivePolicy attribute)")
                    .hasMessageContaining("pipelines.playtime.requireDeadLetterQueue: false");
        }
    }

    @Test
    void aQueueWithoutADeadLetterQueuePassesWhenTheSettingsSaySo() {
        String queue = "playtime-no-dlq-" + UUID.randomUUID();
        sqs.createQueue(r -> r.queueName(queue));

        try (SqsSource source = SqsSource.connect(sqs, SqsSourceSettings.of(queue))) {
            assertThat(PlaytimePipeline.checkDeadLetterQueue(settings(queue, false), source))
                    .startsWith("no dead-letter queue (requireDeadLetterQueue: false)");
        }
    }

    private static PlaytimeSettings settings(String queue, Boolean requireDeadLetterQueue) {
        return new PlaytimeSettings(SqsSourceSettings.of(queue), null, null, null, null, null, null, null, null,
                requireDeadLetterQueue);
    }
}
