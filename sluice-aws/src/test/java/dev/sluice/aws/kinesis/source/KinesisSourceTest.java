package dev.sluice.aws.kinesis.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.InMemoryCheckpointStore;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.Sink;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.local.EmbeddedKinesis;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** The Kinesis source against the kinesis-local emulator, driven by the engine's {@link Runner} where it matters. */
class KinesisSourceTest {

    private static final RunnerSettings RUNNER = new RunnerSettings(2, 1_000, 100, Duration.ofMillis(20), 2,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ofSeconds(5));
    private static final AtomicInteger STREAMS = new AtomicInteger();

    private static EmbeddedKinesis kinesis;
    private static KinesisClient client;

    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final List<Runner<String>> runners = new ArrayList<>();
    private final List<KinesisSource> sources = new ArrayList<>();

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
    void stopRunners() {
        runners.forEach(Runner::stop);
        sources.forEach(KinesisSource::close);
    }

    /** Remembers every value written, and as events which shard each came from, in the order they were written. */
    private static final class Collected implements Sink<String> {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void write(List<Delivery<String>> deliveries) {
            for (Delivery<String> delivery : deliveries) {
                bodies.add(delivery.value());
                events.add("read " + ((SourceCoordinates.Stream) delivery.source().coordinates()).shardId());
            }
        }
    }

    @Test
    void everyRecordOfATwoShardStreamIsDeliveredOnceAndCheckpointed() {
        String stream = newStream(2);
        Sent sent = put(stream, 200, "a");
        assertThat(sent.lastByShard()).as("records reach both shards").hasSize(2);
        Collected sink = new Collected();

        run(source(stream, KinesisSourceSettings.of(stream)), sink);

        awaitCheckpoints(stream, sent.lastByShard());
        assertThat(sink.bodies).hasSize(200).containsExactlyInAnyOrderElementsOf(sent.bodies());
    }

    @Test
    void aRestartResumesAfterTheCheckpoint() {
        String stream = newStream(2);
        Sent first = put(stream, 100, "first");
        Collected before = new Collected();
        Runner<String> runner = run(source(stream, KinesisSourceSettings.of(stream)), before);
        awaitCheckpoints(stream, first.lastByShard());
        runner.stop();
        Sent second = put(stream, 100, "second");

        Collected after = new Collected();
        run(source(stream, KinesisSourceSettings.of(stream)), after);

        awaitCheckpoints(stream, second.lastByShard());
        assertThat(before.bodies).containsExactlyInAnyOrderElementsOf(first.bodies());
        assertThat(after.bodies).as("none of the first run again, none of the second missing")
                .hasSize(100).containsExactlyInAnyOrderElementsOf(second.bodies());
    }

    @Test
    void aLostCheckpointReplaysEverythingFromTheTrimHorizon() {
        String stream = newStream(2);
        Sent sent = put(stream, 100, "replayed");
        Runner<String> runner = run(source(stream, KinesisSourceSettings.of(stream)), new Collected());
        awaitCheckpoints(stream, sent.lastByShard());
        runner.stop();

        checkpoints.lose(stream);
        Collected replay = new Collected();
        run(source(stream, KinesisSourceSettings.of(stream)), replay);

        awaitCheckpoints(stream, sent.lastByShard());
        assertThat(replay.bodies).hasSize(100).containsExactlyInAnyOrderElementsOf(sent.bodies());
    }

    @Test
    void aShardSplitMidRunLosesAndDoublesNothingAndChildrenWaitForTheirParent() {
        String stream = newStream(2);
        Collected sink = new Collected();
        List<String> order = sink.events;
        CheckpointStore recording = new CheckpointStore() {
            @Override
            public Map<String, Checkpoint> load(String name) {
                return checkpoints.load(name);
            }

            @Override
            public void save(String name, Collection<Checkpoint> saved) {
                checkpoints.save(name, saved);
                saved.stream().filter(Checkpoint::finished).forEach(c -> order.add("finished " + c.shardId()));
            }
        };
        Sent before = put(stream, 100, "before");
        KinesisSource source = KinesisSource.builder(fast(KinesisSourceSettings.of(stream))).client(client)
                .checkpoints(recording).build();
        sources.add(source);
        run(source, sink);
        await().until(() -> sink.bodies.size() >= 20);

        Shard parent = client.listShards(b -> b.streamName(stream)).shards().getFirst();
        split(stream, parent.shardId());
        Sent after = put(stream, 100, "after");

        List<String> children = client.listShards(b -> b.streamName(stream)).shards().stream()
                .filter(s -> parent.shardId().equals(s.parentShardId())).map(Shard::shardId).toList();
        assertThat(children).hasSize(2);
        assertThat(after.lastByShard().keySet()).as("new records went to the children").containsAnyElementsOf(children);
        await().until(() -> sink.bodies.size() >= 200 && source.finishedShards().contains(parent.shardId()));
        Map<String, String> expected = new HashMap<>(after.lastByShard());
        before.lastByShard().forEach(expected::putIfAbsent);
        expected.remove(parent.shardId());
        awaitCheckpoints(stream, expected);

        List<String> all = new ArrayList<>(before.bodies());
        all.addAll(after.bodies());
        assertThat(sink.bodies).hasSize(200).containsExactlyInAnyOrderElementsOf(all);
        int parentFinished = order.indexOf("finished " + parent.shardId());
        assertThat(parentFinished).isNotNegative();
        for (String child : children) {
            int firstRead = order.indexOf("read " + child);
            if (firstRead >= 0) {
                assertThat(firstRead).as("first record of " + child + " after its parent finished")
                        .isGreaterThan(parentFinished);
            }
        }
        assertThat(checkpoints.load(stream).get(parent.shardId()).finished()).isTrue();
    }

    @Test
    void aChildOfAParentFinishedInAnEarlierRunStartsAtItsFirstRecordWhateverTheStartPosition() {
        String stream = newStream(1);
        Sent parentRecords = put(stream, 10, "parent");
        String parent = parentRecords.lastByShard().keySet().iterator().next();
        client.splitShard(b -> b.streamName(stream).shardToSplit(parent)
                .newStartingHashKey("170141183460469231731687303715884105728"));
        kinesis.awaitActive(stream);
        Sent childRecords = put(stream, 20, "child");
        checkpoints.save(stream, List.of(new Checkpoint(parent, parentRecords.lastByShard().get(parent), true)));
        Collected sink = new Collected();

        run(source(stream, KinesisSourceSettings.of(stream).startingAt(StartPosition.LATEST)), sink);

        awaitCheckpoints(stream, childRecords.lastByShard());
        assertThat(sink.bodies).hasSize(20).containsExactlyInAnyOrderElementsOf(childRecords.bodies());
    }

    /**
     * First start at LATEST on a stream split before it, the closed parent still listed: the children start only
     * once the parent is finished, and what reached them after the source's start but before their first iterator is
     * read; what reached them before the start is not.
     */
    @Test
    void underLatestChildrenOfAParentSplitBeforeTheStartReadEverythingSinceTheStart() {
        String stream = newStream(1);
        String parent = put(stream, 10, "parent").lastByShard().keySet().iterator().next();
        split(stream, parent);
        put(stream, 10, "before-start");
        Instant putBeforeStart = Instant.now();
        await().until(() -> Instant.now().isAfter(putBeforeStart.plusMillis(5)));
        ChildrenFedWhenParentFinishes store = new ChildrenFedWhenParentFinishes(stream, parent);
        Collected sink = new Collected();

        run(source(stream, KinesisSourceSettings.of(stream).startingAt(StartPosition.LATEST), store), sink);

        await().atMost(Duration.ofSeconds(30)).until(() -> store.fed != null);
        awaitCheckpoints(stream, store.fed.lastByShard());
        assertThat(sink.bodies).as("everything put after the start, nothing from before")
                .hasSize(20).containsExactlyInAnyOrderElementsOf(store.fed.bodies());
    }

    /**
     * First start at LATEST with the parent open; it is split mid-run. Records put into the children before their
     * first iterator (while the parent's finish is being stored) are all read.
     */
    @Test
    void underLatestChildrenOfAParentSplitMidRunReadEverythingPutIntoThem() {
        String stream = newStream(1);
        put(stream, 10, "old");
        ChildrenFedWhenParentFinishes store = new ChildrenFedWhenParentFinishes(stream,
                client.listShards(b -> b.streamName(stream)).shards().getFirst().shardId());
        KinesisSource source = source(stream, KinesisSourceSettings.of(stream).startingAt(StartPosition.LATEST), store);
        await().until(() -> source.millisBehindLatest().size() == 1);
        Sent parentRecords = put(stream, 10, "parent");
        Collected sink = new Collected();
        run(source, sink);
        await().until(() -> sink.bodies.size() >= 10);

        split(stream, store.parent);

        await().atMost(Duration.ofSeconds(30)).until(() -> store.fed != null);
        awaitCheckpoints(stream, store.fed.lastByShard());
        List<String> all = new ArrayList<>(parentRecords.bodies());
        all.addAll(store.fed.bodies());
        assertThat(sink.bodies).hasSize(30).containsExactlyInAnyOrderElementsOf(all);
    }

    /** Puts 20 records into the children while the parent's finish is being stored, so before they are started. */
    private final class ChildrenFedWhenParentFinishes implements CheckpointStore {
        final String stream;
        final String parent;
        volatile Sent fed;

        ChildrenFedWhenParentFinishes(String stream, String parent) {
            this.stream = stream;
            this.parent = parent;
        }

        @Override
        public Map<String, Checkpoint> load(String name) {
            return checkpoints.load(name);
        }

        @Override
        public void save(String name, Collection<Checkpoint> saved) {
            if (fed == null && saved.stream().anyMatch(c -> c.finished() && c.shardId().equals(parent))) {
                fed = put(stream, 20, "children");
                assertThat(fed.lastByShard()).doesNotContainKey(parent);
            }
            checkpoints.save(name, saved);
        }
    }

    @Test
    void latestReadsOnlyWhatArrivesAfterTheStart() {
        String stream = newStream(2);
        put(stream, 20, "old");
        KinesisSource source = source(stream, KinesisSourceSettings.of(stream).startingAt(StartPosition.LATEST));
        // LATEST is fixed when each reader takes its first iterator; after a first read both have one.
        await().until(() -> source.millisBehindLatest().size() == 2);
        Sent fresh = put(stream, 20, "new");
        Collected sink = new Collected();

        run(source, sink);

        awaitCheckpoints(stream, fresh.lastByShard());
        assertThat(sink.bodies).hasSize(20).containsExactlyInAnyOrderElementsOf(fresh.bodies());
    }

    @Test
    void atTimestampReadsWhatArrivedFromThatTimeOn() {
        String stream = newStream(2);
        put(stream, 20, "old");
        Instant from = Instant.now().plusMillis(5);
        await().until(() -> Instant.now().isAfter(from));
        Sent fresh = put(stream, 20, "new");
        Collected sink = new Collected();

        run(source(stream, KinesisSourceSettings.of(stream).startingAt(from)), sink);

        awaitCheckpoints(stream, fresh.lastByShard());
        assertThat(sink.bodies).hasSize(20).containsExactlyInAnyOrderElementsOf(fresh.bodies());
    }

    @Test
    void releasedRecordsComeAgainAndOnlyAcknowledgedOnesAreCheckpointed() throws Exception {
        String stream = newStream(1);
        Sent sent = put(stream, 10, "r");
        KinesisSource source = source(stream, KinesisSourceSettings.of(stream));
        List<Message> first = pollAtLeast(source, 10);
        assertThat(first).extracting(Message::body).containsExactlyElementsOf(sent.bodies());

        source.acknowledge(List.of(first.get(0), first.get(1), first.get(5)));
        source.extendClaim(first.subList(2, 5), Duration.ZERO);
        // A released read is handed back: only its next read counts, so the test takes every record read again.
        List<Message> again = pollAtLeast(source, 8);

        assertThat(again.getFirst().body()).as("the reader rewound to the earliest released record")
                .isEqualTo(sent.bodies().get(2));
        source.acknowledge(again);
        source.acknowledge(first);
        String second = sequenceNumber(first.get(1));
        String last = sent.lastByShard().values().iterator().next();
        await().until(() -> last.equals(sequenceOf(checkpoints, stream, sent.lastByShard().keySet().iterator().next())));
        assertThat(checkpoints.saved()).extracting(Checkpoint::sequenceNumber)
                .as("a checkpoint only ever covers acknowledged records").isSubsetOf(List.of(second, last));
        assertThat(source.backlog()).hasValueSatisfying(b -> {
            assertThat(b.inFlight()).isZero();
            assertThat(b.behindLatest()).isPresent();
        });
    }

    /**
     * After a rewind a record comes again while its first read is still in an open file; the sink acknowledges the
     * second read at once (a copy). The checkpoint stays before the first read until that one is stored too.
     */
    @Test
    void aRecordReadAgainIsCheckpointedOnlyOnceItsFirstReadIsAcknowledgedToo() throws Exception {
        Rewound shard = readAgainAfterReleasing(2, 5);
        shard.source.acknowledge(shard.again);

        String lastReleased = sequenceNumber(shard.first.get(4));
        await().until(() -> lastReleased.equals(checkpointOf(shard)));
        assertThat(shard.source.backlog()).as("the first reads of the last five are still in work")
                .hasValueSatisfying(b -> assertThat(b.inFlight()).isEqualTo(5));
        shard.source.acknowledge(shard.first.subList(5, 10));
        await().until(() -> shard.last.equals(checkpointOf(shard)));
        assertThat(checkpoints.saved()).extracting(Checkpoint::sequenceNumber)
                .as("no checkpoint between the released records and the last one")
                .isSubsetOf(List.of(sequenceNumber(shard.first.get(1)), lastReleased, shard.last));
        assertThat(shard.source.backlog()).hasValueSatisfying(b -> assertThat(b.inFlight()).isZero());
    }

    /**
     * Records handed back (a sink gave up on their file) come again; once their new reads are acknowledged the
     * checkpoint moves on as if they had been stored the first time, and nothing stays in work.
     */
    @Test
    void releasedRecordsAcknowledgedOnTheirNextReadMoveTheCheckpointAndLeaveNothingInWork() throws Exception {
        Rewound shard = readAgainAfterReleasing(5, 10);
        shard.source.acknowledge(shard.again.subList(0, 3));

        String lastAcknowledged = sequenceNumber(shard.again.get(2));
        await().until(() -> lastAcknowledged.equals(checkpointOf(shard)));
        assertThat(shard.source.backlog()).hasValueSatisfying(b -> assertThat(b.inFlight()).isEqualTo(2));
        shard.source.acknowledge(shard.again.subList(3, 5));
        await().until(() -> shard.last.equals(checkpointOf(shard)));
        assertThat(shard.source.backlog()).hasValueSatisfying(b -> assertThat(b.inFlight()).isZero());
    }

    /** A one-shard stream's ten records as first read, and as read again after a release. */
    private record Rewound(String stream, String shardId, String last, KinesisSource source, List<Message> first,
                           List<Message> again) {
    }

    private String checkpointOf(Rewound shard) {
        return sequenceOf(checkpoints, shard.stream, shard.shardId);
    }

    /**
     * Reads ten records, acknowledges the ones before {@code from}, releases {@code from} to {@code to} (exclusive)
     * and reads again everything from {@code from} on.
     */
    private Rewound readAgainAfterReleasing(int from, int to) throws InterruptedException {
        String stream = newStream(1);
        Sent sent = put(stream, 10, "r");
        KinesisSource source = source(stream, KinesisSourceSettings.of(stream));
        List<Message> first = pollAtLeast(source, 10);
        source.acknowledge(first.subList(0, from));
        source.extendClaim(first.subList(from, to), Duration.ZERO);
        List<Message> again = pollAtLeast(source, 10 - from);
        assertThat(again).extracting(Message::body).as("read again from the released record on")
                .containsExactlyElementsOf(sent.bodies().subList(from, 10));
        Map.Entry<String, String> last = sent.lastByShard().entrySet().iterator().next();
        return new Rewound(stream, last.getKey(), last.getValue(), source, first, again);
    }

    /**
     * A stop that arrives while a checkpoint is being written waits for that write instead of interrupting it (an
     * interrupt closes a pooled database connection in the middle of its statement), then writes the last ones.
     */
    @Test
    void aStopDuringACheckpointWriteLetsItFinishAndWritesTheLastOnes() throws Exception {
        String stream = newStream(1);
        Sent sent = put(stream, 10, "s");
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CheckpointStore slow = new CheckpointStore() {
            @Override
            public Map<String, Checkpoint> load(String name) {
                return checkpoints.load(name);
            }

            @Override
            public void save(String name, Collection<Checkpoint> saved) throws InterruptedException {
                if (writing.getCount() > 0) {
                    writing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                }
                checkpoints.save(name, saved);
            }
        };
        KinesisSource source = KinesisSource.builder(fast(KinesisSourceSettings.of(stream))).client(client)
                .checkpoints(slow).build();
        sources.add(source);
        List<Message> polled = pollAtLeast(source, 10);
        source.acknowledge(polled.subList(0, 5));
        writing.await();
        source.acknowledge(polled.subList(5, 10));

        Thread closer = Thread.ofPlatform().name("closer").start(source::close);
        boolean closedDuringTheWrite = closer.join(Duration.ofMillis(500));
        release.countDown();
        closer.join();

        assertThat(interrupted).as("the write under way was interrupted").isFalse();
        assertThat(closedDuringTheWrite).as("close returned while a checkpoint was being written").isFalse();
        String shard = sent.lastByShard().keySet().iterator().next();
        assertThat(checkpoints.saved()).extracting(Checkpoint::sequenceNumber)
                .as("the write under way, then the last one on close")
                .containsExactly(sequenceNumber(polled.get(4)), sent.lastByShard().get(shard));
    }

    @Test
    void aMissingStreamFailsAtStartNamingIt() {
        assertThatThrownBy(() -> KinesisSource.builder(KinesisSourceSettings.of("no-such-stream")).client(client)
                .checkpoints(checkpoints).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Kinesis stream 'no-such-stream' does not exist");
    }

    private static List<Message> pollAtLeast(KinesisSource source, int count) throws InterruptedException {
        List<Message> polled = new ArrayList<>();
        await().until(() -> {
            polled.addAll(source.poll(count - polled.size()));
            return polled.size() >= count;
        });
        return polled;
    }

    private static String sequenceNumber(Message message) {
        return ((SourceCoordinates.Stream) message.coordinates()).sequenceNumber();
    }

    private static KinesisSourceSettings fast(KinesisSourceSettings settings) {
        return settings.discoveringShardsEvery(Duration.ofMillis(200));
    }

    private KinesisSource source(String stream, KinesisSourceSettings settings) {
        return source(stream, settings, checkpoints);
    }

    private KinesisSource source(String stream, KinesisSourceSettings settings, CheckpointStore store) {
        KinesisSource source = KinesisSource.builder(fast(settings)).client(client).checkpoints(store).build();
        sources.add(source);
        return source;
    }

    private static void split(String stream, String shardId) {
        Shard shard = client.listShards(b -> b.streamName(stream)).shards().stream()
                .filter(s -> s.shardId().equals(shardId)).findFirst().orElseThrow();
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        client.splitShard(b -> b.streamName(stream).shardToSplit(shardId)
                .newStartingHashKey(start.add(end).shiftRight(1).toString()));
        kinesis.awaitActive(stream);
    }

    private Runner<String> run(KinesisSource source, Sink<String> sink) {
        Runner<String> runner = Runner.builder("kinesis-test", source, (Message m) -> Outcome.emit(m.body()), sink,
                rejects -> {
                    throw new AssertionError("nothing is rejected: " + rejects);
                }).settings(RUNNER).build();
        runners.add(runner);
        runner.start();
        return runner;
    }

    private void awaitCheckpoints(String stream, Map<String, String> lastByShard) {
        await().atMost(Duration.ofSeconds(30)).until(() -> lastByShard.entrySet().stream()
                .allMatch(e -> e.getValue().equals(sequenceOf(checkpoints, stream, e.getKey()))));
    }

    private static String sequenceOf(InMemoryCheckpointStore store, String stream, String shardId) {
        Checkpoint checkpoint = store.load(stream).get(shardId);
        return checkpoint == null ? null : checkpoint.sequenceNumber();
    }

    private static String newStream(int shards) {
        String stream = "events-" + STREAMS.incrementAndGet();
        kinesis.createStream(stream, shards);
        return stream;
    }

    /** What a put sent: the bodies in order, and per shard the sequence number of its last record. */
    private record Sent(List<String> bodies, Map<String, String> lastByShard) {
    }

    private static Sent put(String stream, int count, String prefix) {
        List<String> bodies = new ArrayList<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = "{\"event_uuid\":\"" + prefix + "-" + i + "\"}";
            bodies.add(body);
            entries.add(PutRecordsRequestEntry.builder().partitionKey(UUID.randomUUID().toString())
                    .data(SdkBytes.fromUtf8String(body)).build());
        }
        Map<String, String> lastByShard = new HashMap<>();
        for (PutRecordsResultEntry result : client.putRecords(b -> b.streamName(stream).records(entries)).records()) {
            assertThat(result.errorCode()).as("put refused").isNull();
            lastByShard.merge(result.shardId(), result.sequenceNumber(),
                    (a, b) -> new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b);
        }
        return new Sent(bodies, lastByShard);
    }
}
