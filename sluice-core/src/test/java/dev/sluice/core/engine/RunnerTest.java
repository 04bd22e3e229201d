package dev.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RunnerTest {
    private static final RunnerSettings FAST = new RunnerSettings(2, 50, 20, Duration.ofMillis(5), 2,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofSeconds(5));

    private final InMemoryQueue queue = new InMemoryQueue("q", Duration.ofSeconds(30));
    private final Map<String, String> written = new ConcurrentHashMap<>();
    private final List<Rejected> rejects = new CopyOnWriteArrayList<>();
    private Runner<String> runner;

    /** Emits the body; rejects bodies starting with "bad". */
    private static final Stage<Message, String> CHECK = m -> m.body().startsWith("bad")
            ? Outcome.reject("body: starts with bad")
            : Outcome.emit(m.body());

    private final Sink<String> mapSink = ds -> ds.forEach(d -> written.put(id(d.source()), d.value()));
    private final ErrorSink listErrors = rejects::addAll;

    private static String id(Message m) {
        return ((SourceCoordinates.Queue) m.coordinates()).messageId();
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.stop();
        }
    }

    private Runner<String> start(Stage<Message, String> stages, Sink<String> sink, ErrorSink errors,
                                 RunnerSettings settings) {
        runner = Runner.builder("test", queue, stages, sink, errors).settings(settings).build();
        runner.start();
        return runner;
    }

    @FunctionalInterface
    private interface Poll {
        List<Message> poll(int max) throws Exception;
    }

    /** The queue, polled through {@code poll}. */
    private Source polling(Poll poll) {
        return new ForwardingSource(queue) {
            @Override
            public List<Message> poll(int max) throws Exception {
                return poll.poll(max);
            }
        };
    }

    @Test
    void everyMessageIsWrittenOnceAndAcknowledged() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(queue.send("m" + i));
        }
        start(CHECK, mapSink, listErrors, FAST);

        await().until(() -> queue.remaining() == 0);
        assertThat(written).hasSize(500).containsKeys(ids.toArray(String[]::new));
        assertThat(queue.acknowledgedIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(runner.metrics().writtenCount()).isEqualTo(500);
        assertThat(runner.metrics().receivedCount()).isEqualTo(500);
    }

    @Test
    void rejectsGoToTheErrorSinkWithTheirRawBodyAndAreAcknowledged() {
        String good = queue.send("fine");
        String bad = queue.send("bad input");
        start(CHECK, mapSink, listErrors, FAST);

        await().until(() -> queue.remaining() == 0);
        assertThat(written).containsOnlyKeys(good);
        assertThat(rejects).singleElement().satisfies(r -> {
            assertThat(id(r.source())).isEqualTo(bad);
            assertThat(r.source().body()).isEqualTo("bad input");
            assertThat(r.reason()).isEqualTo("body: starts with bad");
        });
        assertThat(runner.metrics().rejectedCount()).isEqualTo(1);
    }

    @Test
    void nothingIsAcknowledgedBeforeTheSinkIsDurable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Sink<String> blocking = ds -> {
            entered.countDown();
            release.await();
            mapSink.write(ds);
        };
        queue.send("a");
        start(CHECK, blocking, listErrors, FAST);

        entered.await();
        assertThat(queue.acknowledgedIds()).isEmpty();
        assertThat(runner.inFlight()).isEqualTo(1);
        release.countDown();
        await().until(() -> queue.remaining() == 0);
        assertThat(written).hasSize(1);
    }

    @Test
    void transientSinkFailuresAreRetriedWithoutLossOrDoubles() {
        AtomicInteger failuresLeft = new AtomicInteger(5);
        AtomicInteger calls = new AtomicInteger();
        Sink<String> flaky = ds -> {
            calls.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new java.io.IOException("database unavailable");
            }
            mapSink.write(ds);
        };
        for (int i = 0; i < 100; i++) {
            queue.send("m" + i);
        }
        start(CHECK, flaky, listErrors, FAST);

        await().until(() -> queue.remaining() == 0);
        assertThat(written).hasSize(100);
        assertThat(queue.acknowledgedIds()).hasSize(100).doesNotHaveDuplicates();
        assertThat(calls.get()).isGreaterThan(5);
        assertThat(rejects).isEmpty();
    }

    @Test
    void inFlightWorkIsBoundedWhileTheSinkIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Sink<String> stuck = ds -> {
            release.await();
            mapSink.write(ds);
        };
        for (int i = 0; i < 300; i++) {
            queue.send("m" + i);
        }
        start(CHECK, stuck, listErrors, FAST);

        await().until(() -> runner.inFlight() > 0);
        for (int i = 0; i < 20; i++) {
            assertThat(runner.inFlight()).isLessThanOrEqualTo(FAST.maxInFlight());
            Thread.sleep(10);
        }
        assertThat(queue.remaining()).isEqualTo(300);
        release.countDown();
        await().until(() -> queue.remaining() == 0);
        assertThat(written).hasSize(300);
    }

    @Test
    void longWorkKeepsItsClaim() throws Exception {
        InMemoryQueue shortClaims = new InMemoryQueue("short", Duration.ofMillis(300));
        shortClaims.send("slow");
        CountDownLatch release = new CountDownLatch(1);
        runner = Runner.builder("test", shortClaims, CHECK, ds -> release.await(), listErrors)
                .settings(FAST).build();
        runner.start();

        await().until(() -> shortClaims.extensions() >= 3);
        release.countDown();
        await().until(() -> shortClaims.remaining() == 0);
    }

    @Test
    void stopWithinItsBoundReleasesUnfinishedMessagesForRedelivery() {
        Sink<String> down = ds -> {
            throw new java.io.IOException("database unavailable");
        };
        for (int i = 0; i < 30; i++) {
            queue.send("m" + i);
        }
        RunnerSettings quickStop = new RunnerSettings(2, 50, 20, Duration.ofMillis(5), 2,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofMillis(300));
        start(CHECK, down, listErrors, quickStop);
        await().until(() -> runner.inFlight() == 30);

        long started = System.nanoTime();
        runner.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(queue.acknowledgedIds()).isEmpty();
        assertThat(queue.releases()).isEqualTo(30);
        assertThat(queue.remaining()).isEqualTo(30);
        assertThat(queue.isClosed()).isTrue();
    }

    @Test
    void aLongPollThatOutlivesStopHandsItsMessagesBack() throws Exception {
        // An SDK long poll may ignore the interrupt and return after stop(): its messages must not stay claimed.
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger polls = new AtomicInteger();
        Source lingering = new ForwardingSource(queue) {
            @Override
            public List<Message> poll(int max) throws Exception {
                if (polls.incrementAndGet() > 1) {
                    return List.of();
                }
                while (answer.getCount() > 0) {
                    try {
                        answer.await();
                    } catch (InterruptedException ignoredLikeTheSdk) {
                        continue;
                    }
                }
                return super.poll(max);
            }
        };
        queue.send("late");
        RunnerSettings oneReceiver = new RunnerSettings(1, 50, 20, Duration.ofMillis(5), 1,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofMillis(200));
        runner = Runner.builder("test", lingering, CHECK, mapSink, listErrors).settings(oneReceiver).build();
        runner.start();
        await().until(() -> polls.get() == 1);
        runner.stop();

        answer.countDown();

        await().until(() -> queue.releases() == 1);
        assertThat(written).isEmpty();
        assertThat(queue.remaining()).isEqualTo(1);
        assertThat(runner.inFlight()).isZero();
    }

    /**
     * A record read twice (a Kinesis rewind gives an equal message) holds two permits and frees both: with room for
     * two messages in flight, a leaked permit would stop the receiver for good.
     */
    @Test
    void aRecordReadTwiceFreesBothItsPermits() {
        AtomicInteger polls = new AtomicInteger();
        Source readsTheFirstTwice = polling(max -> {
            List<Message> got = queue.poll(1);
            if (polls.incrementAndGet() > 1 || got.isEmpty()) {
                return got;
            }
            Message m = got.getFirst();
            return List.of(m, new Message(m.body(), m.coordinates(), m.sentAt(), m.receipt()));
        });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(queue.send("m" + i));
        }
        runner = Runner.builder("test", readsTheFirstTwice, CHECK, mapSink, listErrors)
                .settings(new RunnerSettings(1, 2, 2, Duration.ofMillis(5), 1, FAST.backoff(), FAST.stopTimeout()))
                .build();
        runner.start();

        await().until(() -> queue.remaining() == 0);
        assertThat(written.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        await().until(() -> runner.inFlight() == 0);
    }

    @Test
    void aPermanentSinkFailureIsGivenUpAtOnceItsBatchGoesBackAndThePipelineSaysWhy() {
        AtomicInteger calls = new AtomicInteger();
        Sink<String> noPermission = ds -> {
            calls.incrementAndGet();
            throw new PermanentFailureException("table user_logins: permission denied (SQLState 42501)");
        };
        queue.send("a");
        start(CHECK, noPermission, listErrors, FAST);

        await().until(() -> queue.releases() >= 2);
        assertThat(runner.state()).isEqualTo(PipelineState.FAILING);
        assertThat(runner.failingReason())
                .contains("write failed permanently: table user_logins: permission denied (SQLState 42501)");
        assertThat(runner.metrics().retriedCount()).as("never retried in place").isZero();
        assertThat(runner.metrics().givenUpCount()).isEqualTo((double) calls.get());
        assertThat(queue.acknowledgedIds()).isEmpty();
        assertThat(queue.remaining()).isEqualTo(1);
    }

    @Test
    void aFailureOfUnknownKindIsRetriedForGiveUpAfterThenGivenUpAndTheMessagesComeAgain() {
        AtomicBoolean down = new AtomicBoolean(true);
        Sink<String> flaky = ds -> {
            if (down.get()) {
                throw new java.io.IOException("connection reset");
            }
            mapSink.write(ds);
        };
        String id = queue.send("a");
        // One writer that pauses a second after giving up (the backoff's longest delay), so the reason is seen.
        start(CHECK, flaky, listErrors, new RunnerSettings(1, 50, 20, Duration.ofMillis(5), 1,
                new Backoff(Duration.ofMillis(5), Duration.ofSeconds(1)), FAST.stopTimeout(), Duration.ofMillis(200)));

        await().until(() -> queue.releases() >= 1);
        await().until(() -> runner.failingReason().orElse("")
                .equals("write kept failing (IOException) for PT0.2S; given up"));
        assertThat(runner.metrics().retriedCount()).as("retried before it was given up").isPositive();
        down.set(false);

        await().until(() -> queue.remaining() == 0);
        assertThat(written).containsOnlyKeys(id);
        assertThat(runner.state()).isEqualTo(PipelineState.RUNNING);
        assertThat(runner.inFlight()).isZero();
    }

    @Test
    void aPermanentErrorSinkFailureIsGivenUpAndTheRejectGoesBack() {
        ErrorSink noTable = rs -> {
            throw new PermanentFailureException("table login_errors: does not exist (SQLState 42P01)");
        };
        queue.send("bad one");
        start(CHECK, mapSink, noTable, FAST);

        await().until(() -> queue.releases() >= 2);
        assertThat(runner.failingReason())
                .contains("reject failed permanently: table login_errors: does not exist (SQLState 42P01)");
        assertThat(queue.acknowledgedIds()).isEmpty();
    }

    @Test
    void aPermanentPollFailureStopsPollingAndThePipelineSaysWhy() {
        AtomicInteger polls = new AtomicInteger();
        Source missing = polling(max -> {
            polls.incrementAndGet();
            throw new PermanentFailureException("queue q: does not exist");
        });
        runner = Runner.builder("test", missing, CHECK, mapSink, listErrors).settings(FAST).build();
        runner.start();

        await().until(() -> polls.get() == FAST.receivers());
        assertThat(runner.state()).isEqualTo(PipelineState.FAILING);
        assertThat(runner.failingReason()).contains("polling q failed permanently: queue q: does not exist");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> polls.get() == FAST.receivers());
        assertThat(runner.metrics().givenUpCount()).isEqualTo((double) FAST.receivers());
    }

    @Test
    void aRowTheDestinationRefusesBecomesARejectAndTheRestOfTheBatchIsWritten() {
        Sink<String> refusesLong = ds -> {
            for (Delivery<String> d : ds) {
                if (d.value().length() > 5) {
                    throw new DestinationRejectedException("value too long for column name", null);
                }
            }
            mapSink.write(ds);
        };
        Set<String> ok = Set.of(queue.send("a"), queue.send("b"), queue.send("c"));
        String tooLong = queue.send("much too long");
        start(CHECK, refusesLong, listErrors, new RunnerSettings(1, 50, 50, Duration.ofMillis(50), 1,
                FAST.backoff(), FAST.stopTimeout()));

        await().until(() -> queue.remaining() == 0);
        assertThat(written.keySet()).containsExactlyInAnyOrderElementsOf(ok);
        assertThat(rejects).singleElement().satisfies(r -> {
            assertThat(id(r.source())).isEqualTo(tooLong);
            assertThat(r.reason()).isEqualTo("value too long for column name");
        });
        assertThat(runner.metrics().writtenCount()).isEqualTo(3);
    }

    @Test
    void aStageThatThrowsRejectsTheMessageWithoutItsContent() {
        Stage<Message, String> buggy = m -> {
            throw new IllegalStateException("secret value " + m.body());
        };
        queue.send("10.0.0.1");
        start(buggy, mapSink, listErrors, FAST);

        await().until(() -> queue.remaining() == 0);
        assertThat(rejects).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo("internal: stage failed with IllegalStateException"));
    }

    @Test
    void errorSinkFailuresAreRetriedBeforeAcknowledging() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        ErrorSink flaky = rs -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new java.io.IOException("error table unavailable");
            }
            rejects.addAll(rs);
        };
        queue.send("bad one");
        start(CHECK, mapSink, flaky, FAST);

        await().until(() -> queue.remaining() == 0);
        assertThat(rejects).hasSize(1);
        assertThat(failuresLeft.get()).isNegative();
    }

    @Test
    void aWriterThatHitsAnErrorReleasesItsBatchAndTheOtherWriterFinishesIt() {
        AtomicInteger errorsLeft = new AtomicInteger(1);
        Sink<String> failsHard = ds -> {
            if (errorsLeft.getAndDecrement() > 0) {
                throw new StackOverflowError("simulated");
            }
            mapSink.write(ds);
        };
        for (int i = 0; i < 40; i++) {
            queue.send("m" + i);
        }
        start(CHECK, failsHard, listErrors, FAST);

        await().until(() -> queue.remaining() == 0);
        assertThat(written).hasSize(40);
        assertThat(queue.releases()).as("the failed batch went back to the queue").isPositive();
        assertThat(runner.inFlight()).isZero();
    }

    @Test
    void inRedriveModeARejectIsStoredAndItsMessageGoesBackToTheQueue() {
        String good = queue.send("fine");
        String bad = queue.send("bad file");
        runner = Runner.builder("test", queue, CHECK, mapSink, listErrors).settings(FAST)
                .rejectedMessages(RejectedMessages.RELEASE_FOR_REDRIVE).build();
        runner.start();

        await().until(() -> rejects.size() >= 2);
        assertThat(queue.acknowledgedIds()).containsExactly(good);
        assertThat(written).containsOnlyKeys(good);
        assertThat(queue.remaining()).as("the bad message stays for the redrive policy").isEqualTo(1);
        assertThat(rejects).allSatisfy(r -> assertThat(id(r.source())).isEqualTo(bad));
        assertThat(rejects.stream().map(r -> ((SourceCoordinates.Queue) r.source().coordinates()).receiveCount()))
                .as("received again after each release").contains(1, 2);
    }
}
