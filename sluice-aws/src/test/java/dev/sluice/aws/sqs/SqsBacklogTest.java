package dev.sluice.aws.sqs;

import dev.sluice.core.engine.Backlog;
import dev.sluice.local.QueueUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The backlog the dashboard shows, read from a real ElasticMQ: waiting, in flight, dead-lettered. */
class SqsBacklogTest {
    private static ElasticMqTestServer sqs;

    @BeforeAll
    static void startSqs() {
        sqs = ElasticMqTestServer.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @Test
    void countsWaitingInFlightAndDeadLetteredMessages() throws Exception {
        QueueUrls urls = sqs.createQueueWithDeadLetterQueue("backlog", 1);
        sqs.send(urls.queueUrl(), List.of("a", "b", "c", "d"));
        try (SqsSource source = SqsSource.connect(sqs.awsSettings(),
                new SqsSourceSettings(urls.queueUrl(), Duration.ofSeconds(1), 1, Duration.ofSeconds(1)))) {
            // Received once with maxReceiveCount 1 and not deleted: the next receive moves it to the DLQ.
            assertThat(source.poll(1)).hasSize(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                source.poll(1).forEach(m -> { });
                return source.backlog().orElseThrow().deadLetters().orElse(0) >= 1;
            });
            Backlog backlog = source.backlog().orElseThrow();

            assertThat(backlog.deadLetters()).isEqualTo(OptionalLong.of(
                    sqs.depth(urls.deadLetterQueueUrl())));
            assertThat(backlog.visible() + backlog.inFlight() + backlog.deadLetters().getAsLong()).isEqualTo(4);
        }
    }

    @Test
    void aQueueWithoutRedrivePolicyHasNoDeadLetterCount() throws Exception {
        String url = sqs.createQueue("plain");
        sqs.send(url, List.of("a", "b"));
        try (SqsSource source = SqsSource.connect(sqs.awsSettings(), SqsSourceSettings.of(url))) {
            Backlog backlog = source.backlog().orElseThrow();
            assertThat(backlog.visible()).isEqualTo(2);
            assertThat(backlog.inFlight()).isZero();
            assertThat(backlog.deadLetters()).isEmpty();
        }
    }
}
