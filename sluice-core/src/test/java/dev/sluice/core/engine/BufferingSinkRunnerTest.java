package dev.sluice.core.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runner with a sink that stores values in rolls: acknowledgements follow the sink's reports, not its writes. */
class BufferingSinkRunnerTest {
    private static final RunnerSettings FAST = new RunnerSettings(1, 100, 10, Duration.ofMillis(5), 2,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofSeconds(5));

    private final InMemoryQueue queue = new InMemoryQueue("q", Duration.ofSeconds(30));
    private final List<Rejected> rejects = new CopyOnWriteArrayList<>();
    private final RollingList sink = new RollingList(5);
    private Runner<String> runner;

    private static final Stage<Message, String> CHECK = m -> m.body().startsWith("bad")
            ? Outcome.reject("body: starts with bad")
            : Outcome.emit(m.body());

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.stop();
        }
    }

    private void start() {
        runner = Runner.builder("test", queue, CHECK, sink, rejects::addAll).settings(FAST).build();
        runner.start();
    }

    @Test
    void messagesAreAcknowledgedOnlyWhenTheirRollIsStored() {
        sink.hold.set(true);
        for (int i = 0; i < 7; i++) {
            queue.send("m" + i);
        }
        queue.send("bad one");
        start();

        await().until(() -> sink.buffered() == 7);
        // The reject is settled at once; the buffered values wait for their roll.
        await().until(() -> queue.acknowledgedIds().size() == 1);
        assertThat(runner.inFlight()).isEqualTo(7);
        assertThat(runner.metrics().writtenCount()).isZero();

        sink.hold.set(false);
        await().until(() -> queue.remaining() == 0);
        assertThat(sink.stored()).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6");
        assertThat(runner.metrics().writtenCount()).isEqualTo(7);
        assertThat(rejects).hasSize(1);
    }

    @Test
    void theSinkIsStartedBeforeItsFirstWrite() {
        // A slow start (dedupe loading what is stored) must not let a writer in first.
        sink.startTakes = Duration.ofMillis(300);
        queue.send("a");
        start();

        await().until(() -> queue.remaining() == 0);
        assertThat(sink.wroteBeforeStarted.get()).isFalse();
    }

    @Test
    void aFailingStoreIsRetriedAtTheNextTickAndNothingIsAcknowledgedMeanwhile() {
        sink.failures.set(3);
        for (int i = 0; i < 5; i++) {
            queue.send("m" + i);
        }
        start();

        await().until(() -> queue.remaining() == 0);
        assertThat(sink.stored()).hasSize(5);
        assertThat(sink.failed.get()).isEqualTo(3);
        assertThat(runner.metrics().retriedCount()).isPositive();
        assertThat(queue.acknowledgedIds()).hasSize(5);
    }

    @Test
    void aGracefulStopStoresWhatIsBufferedAndAcknowledgesIt() {
        sink.hold.set(true);
        queue.send("a");
        queue.send("b");
        start();
        await().until(() -> sink.buffered() == 2);
        sink.hold.set(false);
        sink.rollOnlyOnFlush.set(true);

        runner.stop();

        assertThat(sink.stored()).containsExactlyInAnyOrder("a", "b");
        assertThat(queue.remaining()).isZero();
    }

    @Test
    void whatTheSinkNeverStoredIsReleasedOnStopForRedelivery() {
        sink.failures.set(Integer.MAX_VALUE);
        queue.send("a");
        start();
        await().until(() -> sink.buffered() == 1);

        runner.stop();

        assertThat(sink.stored()).isEmpty();
        assertThat(queue.remaining()).isEqualTo(1);
        assertThat(queue.acknowledgedIds()).isEmpty();
        assertThat(queue.releases()).isEqualTo(1);
    }

    /**
     * A file the sink gives up on goes back to the source at once, with its permits, so the pipeline goes on (here
     * with room for just those two messages in flight); the pipeline reports FAILING with the sink's reason until
     * a file is stored again.
     */
    @Test
    void aFileTheSinkGivesUpOnGoesBackToTheSourceAtOnceAndThePipelineFailsUntilAStoreSucceeds() {
        sink.hold.set(true);
        queue.send("a");
        queue.send("b");
        runner = Runner.builder("test", queue, CHECK, sink, rejects::addAll)
                .settings(new RunnerSettings(1, 2, 10, Duration.ofMillis(5), 1, FAST.backoff(), FAST.stopTimeout()))
                .build();
        runner.start();
        await().until(() -> sink.buffered() == 2);

        sink.abandon("the work directory /tmp/w failed (IOException)");

        await().until(() -> queue.releases() == 2 && sink.buffered() == 2);
        assertThat(runner.state()).isEqualTo(PipelineState.FAILING);
        assertThat(runner.failingReason()).contains("the work directory /tmp/w failed (IOException)");
        assertThat(runner.metrics().givenUpCount()).isEqualTo(1);
        sink.hold.set(false);
        await().until(() -> queue.remaining() == 0);
        assertThat(sink.stored()).containsExactlyInAnyOrder("a", "b");
        assertThat(runner.state()).isEqualTo(PipelineState.RUNNING);
        assertThat(runner.failingReason()).isEmpty();
        assertThat(runner.inFlight()).isZero();
    }

    @Test
    void aStoreThatFailsPermanentlyIsGivenUpItsMessagesComeAgainAndAreStoredOnceItIsMended() {
        sink.permanent.set(true);
        sink.failures.set(Integer.MAX_VALUE);
        queue.send("a");
        start();

        await().until(() -> queue.releases() >= 1);
        assertThat(runner.failingReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("storing buffered values failed permanently: bucket lake: access denied"));
        assertThat(queue.acknowledgedIds()).isEmpty();
        sink.failures.set(0);

        await().until(() -> queue.remaining() == 0);
        assertThat(sink.stored()).containsExactly("a");
        await().until(() -> runner.state() == PipelineState.RUNNING);
    }

    @Test
    void aStoreFailingForGiveUpAfterIsGivenUpAndItsMessagesComeAgain() {
        sink.failures.set(Integer.MAX_VALUE);
        queue.send("a");
        runner = Runner.builder("test", queue, CHECK, sink, rejects::addAll)
                .settings(new RunnerSettings(1, 100, 10, Duration.ofMillis(5), 2, FAST.backoff(), FAST.stopTimeout(),
                        Duration.ofMillis(200)))
                .build();
        runner.start();

        await().until(() -> queue.releases() >= 1);
        assertThat(runner.failingReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("storing buffered values kept failing (Exception) for PT0.2S; given up"));
        sink.failures.set(0);

        await().until(() -> queue.remaining() == 0);
        assertThat(sink.stored()).containsExactly("a");
    }

    /**
     * A store that blocks for good on stop (a dependency down, an interrupt ignored) cannot hold the stop: it
     * returns, with the buffered messages released unacknowledged, and the source closed.
     */
    @Test
    void aGracefulStopReturnsWhileAStoreBlocksAndReleasesWhatItHolds() throws Exception {
        sink.hold.set(true);
        queue.send("a");
        queue.send("b");
        runner = Runner.builder("test", queue, CHECK, sink, rejects::addAll)
                .settings(new RunnerSettings(1, 100, 10, Duration.ofMillis(5), 2, FAST.backoff(),
                        Duration.ofMillis(300)))
                .build();
        runner.start();
        await().until(() -> sink.buffered() == 2);
        CountDownLatch neverUntilTheEnd = new CountDownLatch(1);
        sink.beforeFlush = () -> {
            while (neverUntilTheEnd.getCount() > 0) {
                try {
                    neverUntilTheEnd.await();
                } catch (InterruptedException ignoredLikeABlockedSocket) {
                    // keeps blocking
                }
            }
        };
        try {
            Thread stopping = Thread.ofVirtual().start(runner::stop);

            await().until(() -> !stopping.isAlive());
            assertThat(queue.acknowledgedIds()).isEmpty();
            assertThat(queue.releases()).isEqualTo(2);
            assertThat(queue.remaining()).isEqualTo(2);
            assertThat(queue.isClosed()).isTrue();
        } finally {
            neverUntilTheEnd.countDown();
        }
        await().until(() -> sink.stored().size() == 2);
        assertThat(queue.acknowledgedIds()).as("a store that ends after the stop acknowledges nothing").isEmpty();
    }

    /** A sink that reports a message durable twice frees its in-flight permit once: maxInFlight still holds. */
    @Test
    void aMessageReportedDurableTwiceStillCountsOnceAgainstMaxInFlight() throws Exception {
        sink.hold.set(true);
        sink.reportTwice.set(true);
        for (int i = 0; i < 10; i++) {
            queue.send("m" + i);
        }
        runner = Runner.builder("test", queue, CHECK, sink, rejects::addAll)
                .settings(new RunnerSettings(1, 3, 10, Duration.ofMillis(5), 1, FAST.backoff(), FAST.stopTimeout()))
                .build();
        runner.start();
        await().until(() -> sink.buffered() == 3);

        sink.flush();

        await().until(() -> sink.buffered() == 3 && sink.stored().size() == 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> runner.inFlight() <= 3 && sink.buffered() <= 3);
    }

    /**
     * Buffers values and stores them in rolls of {@code rollSize} or at each tick, unless told to hold; can fail a
     * given number of stores first.
     */
    private static final class RollingList implements BufferingSink<String> {
        final AtomicBoolean hold = new AtomicBoolean();
        final AtomicBoolean rollOnlyOnFlush = new AtomicBoolean();
        final AtomicBoolean reportTwice = new AtomicBoolean();
        /** Failures are permanent ones. */
        final AtomicBoolean permanent = new AtomicBoolean();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean wroteBeforeStarted = new AtomicBoolean();
        Duration startTakes = Duration.ZERO;
        /** Runs when a flush begins, outside the sink's lock. */
        volatile Runnable beforeFlush = () -> { };
        private final int rollSize;
        private final List<Delivery<String>> buffer = new ArrayList<>();
        private final List<String> stored = new CopyOnWriteArrayList<>();
        private Durable durable;

        RollingList(int rollSize) {
            this.rollSize = rollSize;
        }

        @Override
        public void start(Durable durable) {
            try {
                Thread.sleep(startTakes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                this.durable = durable;
            }
        }

        @Override
        public synchronized void write(List<Delivery<String>> deliveries) {
            if (durable == null) {
                wroteBeforeStarted.set(true);
            }
            buffer.addAll(deliveries);
            if (buffer.size() >= rollSize && !hold.get()) {
                try {
                    store();
                } catch (Exception stillPending) {
                    // stays buffered; roll() retries it, as the interface asks
                }
            }
        }

        @Override
        public synchronized void roll(Instant now) throws Exception {
            if (!hold.get() && !rollOnlyOnFlush.get()) {
                store();
            }
        }

        @Override
        public void flush() throws Exception {
            beforeFlush.run();
            synchronized (this) {
                store();
            }
        }

        @Override
        public Duration tick() {
            return Duration.ofMillis(20);
        }

        private void store() throws Exception {
            if (buffer.isEmpty()) {
                return;
            }
            if (failures.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
                failed.incrementAndGet();
                throw permanent.get() ? new PermanentFailureException("bucket lake: access denied")
                        : new Exception("store failed");
            }
            buffer.forEach(d -> stored.add(d.value()));
            List<Message> messages = buffer.stream().map(Delivery::source).toList();
            buffer.clear();
            durable.durable(messages);
            if (reportTwice.get()) {
                durable.durable(messages);
            }
        }

        /** Gives up everything buffered, as a sink does with a file its work directory broke. */
        synchronized void abandon(String reason) {
            List<Message> messages = buffer.stream().map(Delivery::source).toList();
            buffer.clear();
            durable.release(messages, reason);
        }

        @Override
        public void giveUpPending(String reason) {
            abandon(reason);
        }

        synchronized int buffered() {
            return buffer.size();
        }

        List<String> stored() {
            return List.copyOf(stored);
        }
    }
}
