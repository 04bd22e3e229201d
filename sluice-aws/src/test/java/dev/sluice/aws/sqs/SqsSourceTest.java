package dev.sluice.aws.sqs;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.AwsEndpoints;
import dev.sluice.core.engine.Backlog;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.local.QueueUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SqsSourceTest {
    private static ElasticMqTestServer sqs;

    private String queueUrl;

    @BeforeAll
    static void startSqs() {
        sqs = ElasticMqTestServer.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void createQueue() {
        queueUrl = sqs.createQueue("source");
    }

    private SqsSource source(Duration waitTime, Duration visibility) {
        return SqsSource.connect(sqs.awsSettings(), new SqsSourceSettings(queueUrl, waitTime, null, visibility));
    }

    /** Polls until {@code count} messages arrived; fails if more arrive. */
    private static List<Message> receive(SqsSource source, int count) {
        List<Message> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(source.poll(10));
            return got.size() >= count;
        });
        assertThat(got).hasSize(count);
        return got;
    }

    private static String messageId(Message m) {
        return ((SourceCoordinates.Queue) m.coordinates()).messageId();
    }

    private static int receiveCount(Message m) {
        return ((SourceCoordinates.Queue) m.coordinates()).receiveCount();
    }

    @Test
    void pollReturnsBodiesIdsAndReceiveCountsThatGrowWhenAClaimExpires() throws Exception {
        List<String> ids = sqs.send(queueUrl, List.of("a", "b", "c"));
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            List<Message> first = receive(source, 3);

            assertThat(first).extracting(Message::body).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(first).extracting(SqsSourceTest::messageId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(first).extracting(SqsSourceTest::receiveCount).containsOnly(1);
            assertThat(first).extracting(m -> ((SourceCoordinates.Queue) m.coordinates()).queue())
                    .containsOnly(source.name());
            assertThat(first).extracting(Message::receipt).doesNotContainNull().doesNotHaveDuplicates();

            List<Message> again = receive(source, 3);
            assertThat(again).extracting(SqsSourceTest::messageId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(again).extracting(SqsSourceTest::receiveCount).containsOnly(2);
        }
    }

    @Test
    void pollAsksForAtMostMax() {
        sqs.send(queueUrl, List.of("a", "b", "c", "d", "e"));
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            List<Message> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<Message> batch = source.poll(2);
                assertThat(batch).hasSizeLessThanOrEqualTo(2);
                got.addAll(batch);
                return got.size() == 5;
            });
        }
    }

    @Test
    void sentTimestampBecomesSentAt() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        sqs.send(queueUrl, List.of("x"));
        Instant after = Instant.now();
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            Message m = receive(source, 1).getFirst();
            // Received strictly after `after`: a receive-time fallback would land outside this range.
            assertThat(m.sentAt()).isBetween(before, after);
        }
    }

    @Test
    void acknowledgeDeletesAndIsIdempotent() throws Exception {
        sqs.send(queueUrl, List.of("a", "b"));
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            List<Message> got = receive(source, 2);
            assertThat(source.approximateDepth()).isEqualTo(2);

            source.acknowledge(got);

            assertThat(sqs.depth(queueUrl)).isZero();
            assertThat(source.approximateDepth()).isZero();
            source.acknowledge(got);
            // Past the 1 s visibility nothing comes back: the messages are gone, not just claimed.
            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(6))
                    .until(() -> source.poll(10).isEmpty());
        }
    }

    @Test
    void acknowledgeDeletesMoreThanOneBatchInOneCall() throws Exception {
        List<String> bodies = IntStream.range(0, 25).mapToObj(i -> "m" + i).toList();
        sqs.send(queueUrl, bodies);
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            List<Message> got = receive(source, 25);

            source.acknowledge(got);

            assertThat(sqs.depth(queueUrl)).isZero();
        }
    }

    @Test
    void acknowledgeAfterTheClaimExpiredAndTheMessageWasReceivedAgainDoesNotThrow() throws Exception {
        sqs.send(queueUrl, List.of("a"));
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            Message first = receive(source, 1).getFirst();
            Message second = receive(source, 1).getFirst();
            assertThat(receiveCount(second)).isEqualTo(2);

            source.acknowledge(List.of(first));
            source.acknowledge(List.of(second));

            assertThat(sqs.depth(queueUrl)).isZero();
        }
    }

    @Test
    void extendClaimKeepsAMessageInvisiblePastItsVisibilityTimeout() throws Exception {
        sqs.send(queueUrl, List.of("a"));
        try (SqsSource source = source(Duration.ZERO, Duration.ofSeconds(2))) {
            List<Message> got = receive(source, 1);

            source.extendClaim(got, Duration.ofSeconds(6));

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(200)).until(() -> source.poll(10).isEmpty());
            assertThat(sqs.depth(queueUrl)).isEqualTo(1);
        }
    }

    @Test
    void extendClaimByZeroReleasesAtOnce() throws Exception {
        sqs.send(queueUrl, List.of("a"));
        try (SqsSource source = source(Duration.ZERO, Duration.ofSeconds(30))) {
            Message claimed = receive(source, 1).getFirst();
            assertThat(source.poll(10)).isEmpty();

            source.extendClaim(List.of(claimed), Duration.ZERO);

            Message again = receive(source, 1).getFirst();
            assertThat(messageId(again)).isEqualTo(messageId(claimed));
            assertThat(receiveCount(again)).isEqualTo(2);
        }
    }

    @Test
    void extendClaimOfDeletedMessagesDoesNotThrow() throws Exception {
        sqs.send(queueUrl, List.of("a", "b"));
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            List<Message> got = receive(source, 2);
            source.acknowledge(got);

            source.extendClaim(got, Duration.ofSeconds(30));
            source.extendClaim(got, Duration.ZERO);

            assertThat(sqs.depth(queueUrl)).isZero();
        }
    }

    @Test
    void extendClaimRefusesExtensionsSqsCannotHonour() {
        try (SqsSource source = source(Duration.ZERO, Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> source.extendClaim(List.of(), Duration.ofHours(13)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extension");
            assertThatThrownBy(() -> source.extendClaim(List.of(), Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extension");
        }
    }

    @Test
    void otherFailuresMakeTheCallThrowSoTheRunnerRetries() {
        sqs.send(queueUrl, IntStream.range(0, 25).mapToObj(i -> "m" + i).toList());
        try (SqsSource source = source(Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            List<Message> got = receive(source, 25);
            sqs.client().deleteQueue(r -> r.queueUrl(queueUrl));

            assertThatThrownBy(() -> source.acknowledge(got)).isInstanceOf(QueueDoesNotExistException.class);
            assertThatThrownBy(() -> source.acknowledge(got.subList(0, 1)))
                    .isInstanceOf(QueueDoesNotExistException.class);
            assertThatThrownBy(() -> source.extendClaim(got, Duration.ZERO))
                    .isInstanceOf(QueueDoesNotExistException.class);
        }
    }

    @Test
    void claimTimeoutIsTheVisibilityTimeout() {
        try (SqsSource source = source(Duration.ZERO, Duration.ofSeconds(42))) {
            assertThat(source.claimTimeout()).isEqualTo(Duration.ofSeconds(42));
        }
    }

    @Test
    void queueByUrlAndByNameResolveToTheSameQueue() {
        String name = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        try (SqsSource byUrl = SqsSource.connect(sqs.client(), SqsSourceSettings.of(queueUrl));
             SqsSource byName = SqsSource.connect(sqs.client(), SqsSourceSettings.of(name))) {
            assertThat(byUrl.name()).isEqualTo(name);
            assertThat(byName.name()).isEqualTo(name);
            assertThat(byUrl.queueUrl()).isEqualTo(queueUrl);
            assertThat(URI.create(byName.queueUrl()).getPath()).isEqualTo(URI.create(queueUrl).getPath());
        }
        // Closing a source leaves a client it was given open.
        assertThat(sqs.depth(queueUrl)).isZero();
    }

    @Test
    void aMissingQueueIsNamedInTheError() {
        assertThatThrownBy(() -> SqsSource.connect(sqs.awsSettings(), SqsSourceSettings.of("no-such-queue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-queue")
                .hasMessageContaining("does not exist");
        String missingUrl = sqs.endpoint() + "/000000000000/no-such-queue-by-url";
        assertThatThrownBy(() -> SqsSource.connect(sqs.client(), SqsSourceSettings.of(missingUrl)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-queue-by-url");
    }

    @Test
    void anApiCallTimeoutNotAboveTheLongPollIsRefused() {
        var aws = new AwsClientSettings("us-east-1", new AwsEndpoints(sqs.endpoint(), null), "k", "s", null,
                Duration.ofSeconds(20), null);
        assertThatThrownBy(() -> SqsSource.connect(aws, SqsSourceSettings.of(queueUrl)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiCallTimeout")
                .hasMessageContaining("waitTime");
    }

    /** The backlog the dashboard shows: waiting, in flight, dead-lettered. */
    @Test
    void theBacklogCountsWaitingInFlightAndDeadLetteredMessagesInFlightAndDeadLetteredMessages() throws Exception {
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
