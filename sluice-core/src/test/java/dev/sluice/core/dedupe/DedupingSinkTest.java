package dev.sluice.core.dedupe;

import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.RecordingDurable;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.SourceCoordinates;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The dedupe logic over a fake destination and an in-memory record: what is dropped, acknowledged and recorded. */
class DedupingSinkTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:30:00Z");
    private static final DedupeSettings SETTINGS = new DedupeSettings(Duration.ofHours(24), 10_000L, 0.01,
            Duration.ofMinutes(5));

    private final InMemorySeenEvents seen = new InMemorySeenEvents();
    private final Files files = new Files();
    private final RecordingDurable reports = new RecordingDurable();
    private final List<Message> acknowledged = reports.durable;
    private final AtomicInteger sequence = new AtomicInteger();

    private DedupingSink<String> start(Instant now) {
        DedupingSink<String> sink = new DedupingSink<>(files, DedupingSinkTest::identity, seen, SETTINGS,
                Clock.fixed(now, ZoneOffset.UTC));
        sink.start(reports);
        return sink;
    }

    /** Values are {@code key@epochSecond}. */
    private static SeenEvent identity(String value) {
        int at = value.indexOf('@');
        return new SeenEvent(value.substring(0, at), Instant.ofEpochSecond(Long.parseLong(value.substring(at + 1))));
    }

    private Delivery<String> delivery(String key, Instant eventTime) {
        String seq = String.valueOf(sequence.incrementAndGet());
        Message m = new Message("{}", new SourceCoordinates.Stream("product-events", "shard-0", seq), NOW, seq);
        return new Delivery<>(m, key + "@" + eventTime.getEpochSecond());
    }

    @Test
    void aCopyWhileTheFirstIsInAnOpenFileIsDroppedAndAcknowledgedOnlyWithTheFirstWhenItsFileIsStored()
            throws Exception {
        DedupingSink<String> sink = start(NOW);
        Delivery<String> first = delivery("a", NOW.minusSeconds(60));
        Delivery<String> copy = delivery("a", NOW.minusSeconds(60));
        Delivery<String> other = delivery("b", NOW.minusSeconds(30));

        sink.write(List.of(first, other));
        sink.write(List.of(copy));

        assertThat(acknowledged).isEmpty();
        assertThat(seen.rows).isEmpty();
        assertThat(sink.duplicates()).isEqualTo(1);

        files.store();

        assertThat(files.stored).containsExactly(first.value(), other.value());
        assertThat(acknowledged).containsExactlyInAnyOrder(copy.source(), first.source(), other.source());
        assertThat(seen.rows).containsOnlyKeys("a", "b");
        assertThat(sink.inFlight()).isZero();
    }

    /**
     * The very same record come back while its event is only in an open file: a Kinesis record read again after a
     * rewind (an equal message), an SQS message redelivered after its claim lapsed (same id, new receipt). Neither
     * may be acknowledged (checkpointed, deleted) before that file is stored; if the file is given up, both go back.
     */
    @Test
    void theSameRecordComingBackWaitsForItsFileAndGoesBackWithItIfTheFileIsGivenUp() throws Exception {
        DedupingSink<String> sink = start(NOW);
        Delivery<String> first = delivery("a", NOW);
        Delivery<String> reRead = new Delivery<>(new Message(first.source().body(), first.source().coordinates(),
                first.source().sentAt(), first.source().receipt()), first.value());
        Message queued = new Message("{}", new SourceCoordinates.Queue("q", "m-1", 1), NOW, "receipt-1");
        Message redelivered = new Message("{}", new SourceCoordinates.Queue("q", "m-1", 2), NOW, "receipt-2");
        sink.write(List.of(first, new Delivery<>(queued, "b@" + NOW.getEpochSecond())));

        sink.write(List.of(reRead, new Delivery<>(redelivered, "b@" + NOW.getEpochSecond())));

        assertThat(reRead.source()).isEqualTo(first.source());
        assertThat(acknowledged).isEmpty();
        files.abandon("the work directory failed");
        assertThat(reports.released).containsExactlyInAnyOrder(first.source(), reRead.source(), queued, redelivered);
        assertThat(acknowledged).isEmpty();
        assertThat(sink.inFlight()).isZero();
    }

    /**
     * An {@link Error} in the wrapped sink (out of memory) frees the write's keys like an exception: the runner hands
     * that batch back, and when it comes again it is new, not a "copy" of itself acknowledged unstored. A copy from
     * another write that waited for one of its events goes back to the source.
     */
    @Test
    void anErrorInTheWrappedSinkFreesTheWritesKeysAndHandsBackCopiesThatWaitedForThem() throws Exception {
        DedupingSink<String> sink = start(NOW);
        files.errorOnWrite.set(true);
        Delivery<String> first = delivery("a", NOW);
        Delivery<String> waiting = delivery("a", NOW);
        files.beforeWrite = () -> {
            try {
                sink.write(List.of(waiting));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };

        assertThatThrownBy(() -> sink.write(List.of(first))).isInstanceOf(OutOfMemoryError.class);

        assertThat(sink.inFlight()).isZero();
        assertThat(reports.released).containsExactly(waiting.source());
        assertThat(acknowledged).isEmpty();
        files.errorOnWrite.set(false);
        sink.write(List.of(first));
        files.store();
        assertThat(files.stored).containsExactly(first.value());
        assertThat(acknowledged).containsExactly(first.source());
    }

    @Test
    void copiesInOneBatchKeepTheFirstInOrder() throws Exception {
        DedupingSink<String> sink = start(NOW);
        List<Delivery<String>> batch = List.of(delivery("a", NOW), delivery("b", NOW), delivery("a", NOW),
                delivery("c", NOW), delivery("b", NOW));

        sink.write(batch);
        files.store();

        assertThat(files.stored).containsExactly(batch.get(0).value(), batch.get(1).value(), batch.get(3).value());
        assertThat(sink.duplicates()).isEqualTo(2);
        assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(batch.stream().map(Delivery::source).toList());
    }

    @Test
    void aCopyOfAStoredEventIsDroppedAfterARestartAndNewEventsNeedNoLookup() throws Exception {
        DedupingSink<String> before = start(NOW);
        List<Delivery<String>> firstRun = IntStream.range(0, 500)
                .mapToObj(i -> delivery("e" + i, NOW.minus(Duration.ofMinutes(i)))).toList();
        before.write(firstRun);
        files.store();
        assertThat(before.lookups()).isZero();

        files.stored.clear();
        acknowledged.clear();
        DedupingSink<String> after = start(NOW.plusSeconds(60));
        List<Delivery<String>> secondRun = new ArrayList<>();
        IntStream.range(0, 500).mapToObj(i -> delivery("n" + i, NOW)).forEach(secondRun::add);
        Delivery<String> copy = delivery("e7", NOW.minus(Duration.ofMinutes(7)));
        secondRun.add(copy);
        after.write(secondRun);
        files.store();

        assertThat(files.stored).hasSize(500).noneMatch(v -> v.startsWith("e"));
        assertThat(after.duplicates()).isEqualTo(1);
        assertThat(acknowledged).hasSize(501).contains(copy.source());
        // The filters loaded at start vouch for most new keys; only the copy and false positives are looked up.
        assertThat(after.lookups()).isBetween(1L, 1L + 500 / 20);
    }

    @Test
    void recordsOlderThanTheHorizonArePurgedSoTheirCopiesAreStoredAgain() throws Exception {
        DedupingSink<String> sink = start(NOW);
        Instant old = NOW.minus(Duration.ofHours(1));
        // Two hours ahead of the clock (a producer's clock skew): remembered from its event time.
        Instant ahead = NOW.plus(Duration.ofHours(2));
        sink.write(List.of(delivery("old", old), delivery("ahead", ahead)));
        files.store();

        sink.roll(NOW.plus(Duration.ofHours(25)));

        assertThat(seen.rows).containsOnlyKeys("ahead");
        sink.write(List.of(delivery("old", old), delivery("ahead", ahead)));
        files.store();
        assertThat(files.stored).containsExactly("old@" + old.getEpochSecond(), "ahead@" + ahead.getEpochSecond(),
                "old@" + old.getEpochSecond());
        assertThat(sink.duplicates()).isEqualTo(1);
    }

    @Test
    void aCopyOfALateEventIsCaughtWithinTheHorizonOfItsArrival() throws Exception {
        DedupingSink<String> sink = start(NOW);
        Instant threeDaysAgo = NOW.minus(Duration.ofDays(3));
        sink.write(List.of(delivery("late", threeDaysAgo)));
        files.store();

        sink.roll(NOW.plus(Duration.ofHours(2)));
        sink.write(List.of(delivery("late", threeDaysAgo)));

        assertThat(seen.rows).containsOnlyKeys("late");
        assertThat(sink.duplicates()).isEqualTo(1);
        assertThat(files.stored).containsExactly("late@" + threeDaysAgo.getEpochSecond());
    }

    @Test
    void aFailedWriteTakesNothingSoTheRetriedBatchIsNew() throws Exception {
        DedupingSink<String> sink = start(NOW);
        files.failWrites.set(1);
        List<Delivery<String>> batch = List.of(delivery("a", NOW), delivery("b", NOW));

        assertThatThrownBy(() -> sink.write(batch)).hasMessage("disk full");
        assertThat(sink.inFlight()).isZero();

        sink.write(batch);
        files.store();
        assertThat(files.stored).hasSize(2);
        assertThat(sink.duplicates()).isZero();
    }

    @Test
    void storedEventsAreAcknowledgedOnlyAfterTheyAreRecorded() throws Exception {
        DedupingSink<String> sink = start(NOW);
        seen.recordFailures.set(2);
        Delivery<String> d = delivery("a", NOW);

        sink.write(List.of(d));
        files.store();

        assertThat(seen.rows).containsOnlyKeys("a");
        assertThat(acknowledged).containsExactly(d.source());
    }

    /**
     * One key the record refuses must not wedge the destination: the messages go back instead, unrecorded, and only
     * after the store is undone, so that their redelivery (grouped into other files) does not store them again next
     * to it.
     */
    @Test
    void aRecordThatFailsPermanentlyUndoesTheStoreThenHandsTheMessagesBack() throws Exception {
        seen.permanentFailure.set(true);
        Delivery<String> d = delivery("a", NOW);
        Delivery<String> copy = delivery("a", NOW);
        DedupingSink<String> sink = start(NOW);
        sink.write(List.of(d, copy));
        List<Message> releasedWhenUndone = new CopyOnWriteArrayList<>();
        files.onUndo = () -> releasedWhenUndone.addAll(reports.released);

        files.store();

        assertThat(files.undos).hasValue(1);
        assertThat(releasedWhenUndone).as("released before the undo").isEmpty();
        assertThat(files.stored).isEmpty();
        assertThat(files.taken).containsExactly(false);
        assertThat(reports.released).containsExactly(d.source(), copy.source());
        assertThat(reports.reasons).singleElement().asString()
                .isEqualTo("dedupe: recording stored events failed permanently: lake_seen: value too long");
        assertThat(acknowledged).isEmpty();
        assertThat(sink.inFlight()).isZero();
    }

    /**
     * An undo that fails (the store is down too) must not hand the messages back over a store that stays: they stay
     * claimed, their copies keep waiting, and each roll tries the undo again; once it succeeds they all go back, and
     * come again as new events.
     */
    @Test
    void anUndoThatFailsKeepsTheMessagesClaimedAndEachRollTriesItAgain() throws Exception {
        seen.permanentFailure.set(true);
        files.undoFailures.set(2);
        DedupingSink<String> sink = start(NOW);
        Delivery<String> d = delivery("a", NOW);
        sink.write(List.of(d));

        files.store();

        assertThat(files.taken).containsExactly(false);
        assertThat(files.stored).containsExactly(d.value());
        assertThat(reports.released).isEmpty();
        assertThat(acknowledged).isEmpty();
        assertThat(sink.inFlight()).isEqualTo(1);
        Delivery<String> copy = delivery("a", NOW);
        sink.write(List.of(copy));
        assertThat(sink.duplicates()).isEqualTo(1);

        sink.roll(NOW);
        assertThat(files.undos).hasValue(2);
        assertThat(reports.released).isEmpty();
        sink.roll(NOW);

        assertThat(files.undos).hasValue(3);
        assertThat(files.stored).isEmpty();
        assertThat(reports.released).containsExactly(d.source(), copy.source());
        assertThat(acknowledged).isEmpty();
        assertThat(sink.inFlight()).isZero();
        sink.roll(NOW);
        assertThat(files.undos).as("nothing left to undo").hasValue(3);

        seen.permanentFailure.set(false);
        Delivery<String> again = delivery("a", NOW);
        sink.write(List.of(again));
        files.store();
        assertThat(files.stored).containsExactly(again.value());
        assertThat(acknowledged).containsExactly(again.source());
    }

    /** A store reported without an undo (one a replay rewrites in place) has nothing to take back: it goes at once. */
    @Test
    void aStoreReportedWithoutAnUndoGoesBackAtOnceWhenItCannotBeRecorded() throws Exception {
        seen.permanentFailure.set(true);
        files.withUndo = false;
        Delivery<String> d = delivery("a", NOW);
        start(NOW).write(List.of(d));

        files.store();

        assertThat(reports.released).containsExactly(d.source());
        assertThat(files.stored).containsExactly(d.value());
        assertThat(files.undos).hasValue(0);
    }

    @Test
    void aRecordFailingLongerThanRecordForIsGivenUp() throws Exception {
        DedupingSink<String> sink = new DedupingSink<>(files, DedupingSinkTest::identity, seen,
                new DedupeSettings(null, 10_000L, 0.01, null, Duration.ofMillis(300)), Clock.fixed(NOW, ZoneOffset.UTC));
        sink.start(reports);
        seen.recordFailures.set(Integer.MAX_VALUE);
        Delivery<String> d = delivery("a", NOW);
        sink.write(List.of(d));

        files.store();

        assertThat(reports.released).containsExactly(d.source());
        assertThat(reports.reasons).singleElement().asString()
                .isEqualTo("dedupe: recording stored events kept failing (Exception) for PT0.3S; given up");
        assertThat(seen.rows).isEmpty();
        assertThat(files.stored).as("undone").isEmpty();
    }

    /**
     * A graceful stop while the database that records stored events is down: the flush stores the file but cannot
     * record it, so the stop interrupts it at stopTimeout and returns; the messages are released unacknowledged, and
     * come again to be written again.
     */
    @Test
    void aGracefulStopWhileTheRecordKeepsFailingReturnsAndLeavesTheMessagesUnacknowledged() {
        InMemoryQueue queue = new InMemoryQueue("q", Duration.ofMinutes(5));
        queue.send("a");
        queue.send("b");
        seen.recordFailures.set(Integer.MAX_VALUE);
        DedupingSink<String> sink = new DedupingSink<>(files, DedupingSinkTest::identity, seen, SETTINGS,
                Clock.systemUTC());
        Runner<String> runner = Runner.builder("lake", queue, m -> Outcome.emit(m.body() + "@0"), sink, rejects -> {
            throw new AssertionError("no rejects expected");
        }).settings(new RunnerSettings(1, 10, 10, Duration.ofMillis(5), 1,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofMillis(300))).build();
        runner.start();
        await().until(() -> sink.inFlight() == 2);

        Thread stopping = Thread.ofVirtual().start(runner::stop);

        await().until(() -> !stopping.isAlive());
        assertThat(files.stored).as("left for the next start to settle").hasSize(2);
        assertThat(files.taken).containsExactly(false);
        assertThat(queue.acknowledgedIds()).isEmpty();
        assertThat(queue.releases()).isEqualTo(2);
        assertThat(queue.remaining()).isEqualTo(2);
    }

    @Test
    void anEventOutsideTheFiltersIsAlwaysLookedUp() throws Exception {
        DedupingSink<String> sink = start(NOW);
        seen.rows.put("late", new InMemorySeenEvents.Row(NOW.minus(Duration.ofDays(3)), NOW));

        sink.write(List.of(delivery("late", NOW.minus(Duration.ofDays(3)))));

        assertThat(sink.duplicates()).isEqualTo(1);
        assertThat(sink.lookups()).isEqualTo(1);
    }

    @Test
    void eventsTheDestinationGivesUpOnAreHandedBackAndTakenAgainWhenTheyCome() throws Exception {
        DedupingSink<String> sink = start(NOW);
        Delivery<String> first = delivery("a", NOW);
        sink.write(List.of(first));

        files.abandon("the work directory failed");

        assertThat(reports.released).containsExactly(first.source());
        assertThat(reports.reasons).containsExactly("the work directory failed");
        assertThat(sink.inFlight()).isZero();
        Delivery<String> again = delivery("a", NOW);
        sink.write(List.of(again));
        files.store();
        assertThat(files.stored).containsExactly(again.value());
        assertThat(acknowledged).containsExactly(again.source());
        assertThat(sink.duplicates()).isZero();
    }

    @Test
    void filesAnEarlierRunStoredAndNeverRecordedAreDeletedBeforeTheFirstWrite() throws Exception {
        seen.ledger.addAll(List.of("day=1/shard-0-1", "day=1/shard-0-3"));
        seen.unsettledFailures.set(1);
        DedupingSink<String> sink = start(NOW);

        assertThatThrownBy(() -> sink.write(List.of(delivery("a", NOW)))).hasMessage("database down");
        assertThat(files.open).isEmpty();
        assertThat(sink.inFlight()).isZero();
        assertThat(files.deletedStored).isEmpty();

        sink.write(List.of(delivery("a", NOW)));
        assertThat(files.deletedStored).containsExactlyInAnyOrder("day=1/shard-0-1", "day=1/shard-0-3");
        assertThat(seen.ledger).isEmpty();
        sink.write(List.of(delivery("b", NOW)));
        assertThat(files.deletedStored).hasSize(2);
    }

    @Test
    void anAnnouncedStoreKeepsItsLedgerRowUntilItsEventsAreRecordedOrItIsUndone() throws Exception {
        DedupingSink<String> sink = start(NOW);
        files.announced = "day=1/shard-0-1";
        sink.write(List.of(delivery("a", NOW)));
        files.store();
        assertThat(seen.recorded(List.of("a"))).containsExactly("a");
        assertThat(seen.ledger).isEmpty();

        seen.permanentFailure.set(true);
        files.announced = "day=1/shard-0-2";
        sink.write(List.of(delivery("b", NOW)));
        files.undoFailures.set(1);
        files.store();
        assertThat(seen.ledger).as("the undo failed: the row is left for the next start")
                .containsExactly("day=1/shard-0-2");
        sink.roll(NOW);
        assertThat(files.undos).hasValue(2);
        assertThat(seen.ledger).isEmpty();
        assertThat(reports.released).hasSize(1);
    }

    /**
     * The destination: buffers deliveries and stores them all when told, reporting their messages durable with an
     * undo that takes the stored values back.
     */
    private static final class Files implements BufferingSink<String> {
        final List<String> stored = new CopyOnWriteArrayList<>();
        /** What each report with an undo returned: whether its messages were taken. */
        final List<Boolean> taken = new CopyOnWriteArrayList<>();
        final AtomicInteger undos = new AtomicInteger();
        final AtomicInteger undoFailures = new AtomicInteger();
        volatile boolean withUndo = true;
        /** The name each store is announced under ({@link Durable#storing}); null: not announced. */
        volatile String announced;
        /** The objects of an earlier run deleted through {@link #deleteStored}. */
        final List<String> deletedStored = new CopyOnWriteArrayList<>();
        /** Runs at the start of each undo. */
        volatile Runnable onUndo = () -> { };
        final AtomicInteger failWrites = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean errorOnWrite = new java.util.concurrent.atomic.AtomicBoolean();
        /** Runs at the start of each write, outside this sink's lock: another writer's turn. */
        volatile Runnable beforeWrite = () -> { };
        private final List<Delivery<String>> open = new ArrayList<>();
        private Durable durable;

        @Override
        public void start(Durable durable) {
            this.durable = durable;
        }

        @Override
        public void write(List<Delivery<String>> deliveries) throws Exception {
            Runnable other = beforeWrite;
            beforeWrite = () -> { };
            other.run();
            take(deliveries);
        }

        private synchronized void take(List<Delivery<String>> deliveries) throws Exception {
            if (errorOnWrite.get()) {
                throw new OutOfMemoryError("simulated");
            }
            if (failWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new Exception("disk full");
            }
            open.addAll(deliveries);
        }

        @Override
        public void giveUpPending(String reason) {
            abandon(reason);
        }

        /** Gives up the open deliveries, as a sink does with a file its work directory broke. */
        synchronized void abandon(String reason) {
            List<Message> messages = open.stream().map(Delivery::source).toList();
            open.clear();
            durable.release(messages, reason);
        }

        synchronized void store() {
            List<String> values = open.stream().map(Delivery::value).toList();
            stored.addAll(values);
            List<Message> messages = open.stream().map(Delivery::source).toList();
            open.clear();
            if (!withUndo) {
                durable.durable(messages);
                return;
            }
            Durable.Undo undo = () -> {
                undos.incrementAndGet();
                onUndo.run();
                if (undoFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new Exception("store unavailable");
                }
                values.forEach(stored::remove);
            };
            String object = announced;
            if (object == null) {
                taken.add(durable.durable(messages, undo));
                return;
            }
            try {
                durable.storing(object);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            taken.add(durable.durable(messages, object, undo));
        }

        @Override
        public void deleteStored(String object) {
            deletedStored.add(object);
        }

        @Override
        public void roll(Instant now) {
        }

        @Override
        public void flush() {
            store();
        }
    }
}
