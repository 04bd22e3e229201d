package dev.sluice.aws.sqs;

import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.Sink;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.local.QueueUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** The SQS source driven by the real engine {@link Runner}: the delivery contract end to end. */
class SqsSourceWithRunnerTest {
    private static final RunnerSettings SETTINGS = new RunnerSettings(4, 200, 50, Duration.ofMillis(20), 2,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ofSeconds(5));

    private static ElasticMqTestServer sqs;

    private final List<Runner<String>> runners = new ArrayList<>();
    private final IdempotentStore store = new IdempotentStore();
    private final List<Rejected> errors = new CopyOnWriteArrayList<>();
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
        queueUrl = sqs.createQueue("runner");
    }

    @AfterEach
    void stopRunners() {
        runners.forEach(Runner::stop);
    }

    /** An in-memory sink keyed by message id: a second write of the same message changes nothing. */
    private static final class IdempotentStore implements Sink<String> {
        final Map<String, String> rows = new ConcurrentHashMap<>();
        final Map<String, Integer> writesPerMessage = new ConcurrentHashMap<>();
        final Map<String, Integer> receiveCounts = new ConcurrentHashMap<>();

        @Override
        public void write(List<Delivery<String>> deliveries) {
            for (Delivery<String> d : deliveries) {
                var queue = (SourceCoordinates.Queue) d.source().coordinates();
                rows.putIfAbsent(queue.messageId(), d.value());
                writesPerMessage.merge(queue.messageId(), 1, Integer::sum);
                receiveCounts.merge(queue.messageId(), queue.receiveCount(), Math::max);
            }
        }
    }

    private Runner<String> start(Sink<String> sink, Duration visibility) {
        SqsSource source = SqsSource.connect(sqs.awsSettings(),
                new SqsSourceSettings(queueUrl, Duration.ofSeconds(1), null, visibility));
        Runner<String> runner = Runner.<String>builder("test", source, m -> Outcome.emit(m.body()), sink,
                errors::addAll).settings(SETTINGS).build();
        runners.add(runner);
        runner.start();
        return runner;
    }

    private static List<String> bodies(int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"n\":" + i + "}").toList();
    }

    private void assertEachArrivedOnce(List<String> ids, List<String> bodies) {
        assertThat(store.rows).containsOnlyKeys(ids);
        assertThat(store.rows.values()).containsExactlyInAnyOrderElementsOf(bodies);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(store.rows.get(ids.get(i))).isEqualTo(bodies.get(i));
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void aThousandMessagesArriveExactlyOnceAndTheQueueEndsEmpty() {
        List<String> bodies = bodies(1_000);
        List<String> ids = sqs.send(queueUrl, bodies);

        Runner<String> runner = start(store, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60)).until(() -> store.rows.size() == bodies.size()
                && sqs.depth(queueUrl) == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.inFlight() == 0);
        runner.stop();
        assertEachArrivedOnce(ids, bodies);
        assertThat(store.writesPerMessage.values()).containsOnly(1);
        assertThat(runner.metrics().writtenCount()).isEqualTo(1_000);
        assertThat(sqs.depth(queueUrl)).isZero();
    }

    @Test
    void inRedriveModeARejectedMessageIsRecordedOnEveryReceiveAndEndsInTheDeadLetterQueue() {
        QueueUrls urls = sqs.createQueueWithDeadLetterQueue("redrive", 3);
        String id = sqs.send(urls.queueUrl(), List.of("a bad file")).getFirst();
        SqsSource source = SqsSource.connect(sqs.awsSettings(),
                new SqsSourceSettings(urls.queueUrl(), Duration.ofSeconds(1), null, Duration.ofSeconds(30)));
        Runner<String> runner = Runner.<String>builder("redrive", source, m -> Outcome.reject("file: not Parquet"),
                        store, errors::addAll)
                .settings(SETTINGS).rejectedMessages(RejectedMessages.RELEASE_FOR_REDRIVE).build();
        runners.add(runner);
        runner.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> sqs.depth(urls.deadLetterQueueUrl()) == 1
                && sqs.depth(urls.queueUrl()) == 0);
        assertThat(errors).extracting(r -> (SourceCoordinates.Queue) r.source().coordinates())
                .extracting(SourceCoordinates.Queue::messageId, SourceCoordinates.Queue::receiveCount)
                .containsExactly(tuple(id, 1), tuple(id, 2), tuple(id, 3));
        assertThat(store.rows).isEmpty();
    }

    @Test
    void writesThatFailAreRetriedWithNothingLostOrDoubled() {
        List<String> bodies = bodies(200);
        List<String> ids = sqs.send(queueUrl, bodies);
        int failFirst = 7;
        AtomicInteger failures = new AtomicInteger();
        Sink<String> flaky = deliveries -> {
            if (failures.getAndIncrement() < failFirst) {
                throw new IllegalStateException("database down (test)");
            }
            store.write(deliveries);
        };

        start(flaky, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> store.rows.size() == bodies.size()
                && sqs.depth(queueUrl) == 0);
        assertThat(failures.get()).isGreaterThan(failFirst);
        assertEachArrivedOnce(ids, bodies);
    }

    @Test
    void messagesReleasedOnStopAreRedeliveredToTheNextRunner() {
        List<String> bodies = bodies(30);
        List<String> ids = sqs.send(queueUrl, bodies);
        AtomicInteger attempts = new AtomicInteger();
        Sink<String> down = deliveries -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("database down (test)");
        };
        // A long visibility: only the release on stop can make the messages come back within the test.
        Runner<String> first = start(down, Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.inFlight() == bodies.size() && attempts.get() > 1);

        first.stop();
        start(store, Duration.ofMinutes(10));

        await().atMost(Duration.ofSeconds(30)).until(() -> store.rows.size() == bodies.size()
                && sqs.depth(queueUrl) == 0);
        assertEachArrivedOnce(ids, bodies);
        assertThat(store.receiveCounts.values()).allMatch(count -> count >= 2);
    }

    @Test
    void theHeartbeatKeepsLongWorkClaimedPastTheVisibilityTimeout() {
        List<String> bodies = bodies(20);
        List<String> ids = sqs.send(queueUrl, bodies);
        List<Integer> receiveCounts = Collections.synchronizedList(new ArrayList<>());
        Sink<String> slow = deliveries -> {
            deliveries.forEach(d -> receiveCounts.add(((SourceCoordinates.Queue) d.source().coordinates())
                    .receiveCount()));
            // Work that takes twice the 2 s visibility timeout.
            Thread.sleep(Duration.ofSeconds(4));
            store.write(deliveries);
        };

        start(slow, Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(30)).until(() -> store.rows.size() == bodies.size()
                && sqs.depth(queueUrl) == 0);
        assertEachArrivedOnce(ids, bodies);
        assertThat(receiveCounts).hasSize(bodies.size()).containsOnly(1);
    }

    @Test
    void coordinatesNameTheQueueTheMessageIdAndTheReceiveCount() {
        List<String> ids = sqs.send(queueUrl, List.of("only"));
        List<Message> seen = new CopyOnWriteArrayList<>();
        Runner<String> runner = start(deliveries -> {
            deliveries.forEach(d -> seen.add(d.source()));
            store.write(deliveries);
        }, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.depth(queueUrl) == 0 && seen.size() == 1);
        runner.stop();
        Message m = seen.getFirst();
        assertThat(m.coordinates().describe()).isEqualTo("sqs:" + queueName() + "/" + ids.getFirst() + "#1");
    }

    @Test
    void stopEndsAnIdleTwentySecondLongPollPromptly() {
        SqsSource source = SqsSource.connect(sqs.awsSettings(), SqsSourceSettings.of(queueUrl));
        Runner<String> runner = Runner.<String>builder("test", source, m -> Outcome.emit(m.body()), store,
                errors::addAll).settings(SETTINGS).build();
        runner.start();
        await().pollDelay(Duration.ofMillis(500)).until(runner::isRunning);

        long started = System.nanoTime();
        runner.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    private String queueName() {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }
}
