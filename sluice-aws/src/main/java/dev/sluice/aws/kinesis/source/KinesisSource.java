package dev.sluice.aws.kinesis.source;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.kinesis.KinesisClients;
import dev.sluice.aws.kinesis.proxy.IteratorPosition;
import dev.sluice.aws.kinesis.proxy.KinesisProxy;
import dev.sluice.aws.kinesis.proxy.SdkKinesisProxy;
import dev.sluice.aws.kinesis.proxy.StreamRecord;
import dev.sluice.aws.kinesis.proxy.StreamShard;
import dev.sluice.aws.kinesis.reader.GetRecordsPacer;
import dev.sluice.aws.kinesis.reader.ShardBuffer;
import dev.sluice.aws.kinesis.reader.ShardReader;
import dev.sluice.aws.kinesis.reader.Sleeper;
import dev.sluice.aws.kinesis.split.ShardLineage;
import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.engine.Backlog;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Source;
import dev.sluice.core.engine.SourceCoordinates;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * A Kinesis stream as a Sluice {@link Source}: one reader per shard on a virtual thread, per-shard checkpoints in a
 * {@link CheckpointStore} that only ever cover acknowledged (durable) records, and resharding that keeps each key's
 * order: a child shard is read only once its parents are finished.
 *
 * <pre>{@code
 * KinesisSource source = KinesisSource.builder(KinesisSourceSettings.of("product-events"))
 *         .aws(AwsClientSettings.defaults())                // or .client(kinesisClient), kept open
 *         .checkpoints(new PostgresCheckpointStore(dataSource))
 *         .build();                                         // loads the checkpoints, lists the shards, starts reading
 * Runner<Event> runner = Runner.builder("lake", source, stages, sink, errorSink).build();
 * runner.start();
 * ...
 * runner.stop();   // rewinds what was not finished, writes the last checkpoints, stops the readers
 * }</pre>
 *
 * <ul>
 * <li><b>Messages</b>: body = the record's data as UTF-8; coordinates {@code Stream(stream, shardId, sequenceNumber)};
 *     sentAt = the approximate arrival time; receipt = {@code shardId@sequenceNumber}.</li>
 * <li><b>Acknowledge</b> in any order and any subset: per shard, the checkpoint is the highest sequence number below
 *     which everything handed out is acknowledged ({@link ShardWatermark}); checkpoints are written every
 *     {@code checkpointInterval}, since a late checkpoint only means a longer replay that downstream dedupe
 *     absorbs.</li>
 * <li><b>Release</b> ({@code extendClaim(messages, ZERO)}): the shard's reader rewinds to the earliest released
 *     record; records after it come again. The checkpoint does not pass a released record until a later read of it
 *     is acknowledged, nor a record read again while an earlier read of it is still in work. There are no claims to
 *     extend otherwise: {@link #claimTimeout()} is zero.</li>
 * <li><b>Start</b>: each shard resumes after its checkpoint, or at the configured start position when it has none;
 *     a reshard child whose parent has a stored checkpoint starts at its beginning, and a shard started after the
 *     source (a child whose parents finished meanwhile, a shard first seen later) never at LATEST: under LATEST it
 *     starts at the source's start time.</li>
 * <li><b>Resharding</b>: a shard read to its end whose records are all acknowledged is stored as finished, and only
 *     then are its children started (discovery runs every {@code shardDiscoveryInterval} and at once after a shard
 *     finishes).</li>
 * </ul>
 *
 * <p>Thread-safe. Logs name the stream, shards and counts, never record data.
 */
public final class KinesisSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(KinesisSource.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final KinesisSourceSettings settings;
    private final String stream;
    private final KinesisProxy proxy;
    private final KinesisClient ownedClient;
    private final CheckpointStore checkpoints;

    private final Map<String, ShardState> shards = new ConcurrentHashMap<>();
    /** Finished shards whose finish is stored: their children may start. */
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final Map<String, Checkpoint> loaded = new HashMap<>();
    /** When the source started: where shards started later begin under LATEST. */
    private Instant startedAt;
    private final AtomicInteger nextShard = new AtomicInteger();

    private final ReentrantLock data = new ReentrantLock();
    private final Condition dataArrived = data.newCondition();
    private long dataVersion;
    private final ReentrantLock discovery = new ReentrantLock();
    private final Condition discoverNow = discovery.newCondition();
    private final ReentrantLock checkpointWriting = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    /** Counted down by {@link #close()}: the checkpoint loop ends after the write it may be doing. */
    private final CountDownLatch stopCheckpointing = new CountDownLatch(1);
    private Thread discoverer;
    private Thread checkpointer;

    private KinesisSource(Builder builder, KinesisProxy proxy) {
        this.settings = builder.settings;
        this.stream = settings.stream();
        this.proxy = proxy;
        this.ownedClient = builder.ownedClient;
        this.checkpoints = builder.checkpoints;
    }

    public static Builder builder(KinesisSourceSettings settings) {
        return new Builder(settings);
    }

    private void start() {
        startedAt = Instant.now();
        try {
            checkpoints.load(stream).forEach((shard, checkpoint) -> {
                loaded.put(shard, checkpoint);
                if (checkpoint.finished()) {
                    finished.add(shard);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("could not load the checkpoints of Kinesis stream " + stream + ": "
                    + e.getMessage(), e);
        }
        List<StreamShard> listed;
        try {
            listed = proxy.listShards(stream);
        } catch (ResourceNotFoundException e) {
            throw new IllegalArgumentException("Kinesis stream '" + stream + "' does not exist", e);
        }
        startReadable(listed, true);
        log.info("reading Kinesis stream {}: {} shards, {} with a checkpoint, {} finished", stream, listed.size(),
                loaded.size(), finished.size());
        discoverer = Thread.ofVirtual().name("kinesis-discovery-" + stream).start(this::discoveryLoop);
        checkpointer = Thread.ofVirtual().name("kinesis-checkpoints-" + stream).start(this::checkpointLoop);
    }

    /** A shard is read again from its checkpoint, in sequence order. */
    @Override
    public boolean replaysInOrder() {
        return true;
    }

    @Override
    public String name() {
        return stream;
    }

    @Override
    public List<Message> poll(int max) throws InterruptedException {
        long deadline = System.nanoTime() + settings.pollWait().toNanos();
        while (true) {
            long version = dataVersion();
            List<Message> messages = collect(max);
            long remaining = deadline - System.nanoTime();
            if (!messages.isEmpty() || closed || remaining <= 0) {
                return messages;
            }
            awaitData(version, remaining);
        }
    }

    @Override
    public int maxPerPoll() {
        return settings.maxPerPoll();
    }

    @Override
    public void acknowledge(List<Message> messages) {
        for (Message message : messages) {
            SourceCoordinates.Stream at = coordinates(message);
            ShardState shard = shards.get(at.shardId());
            if (shard != null) {
                shard.watermark.acknowledged(at.sequenceNumber());
            }
        }
    }

    /**
     * A zero extension releases the messages: they are no longer in work (the checkpoint waits for their next read)
     * and each shard rewinds to its earliest one. Other extensions do nothing.
     */
    @Override
    public void extendClaim(List<Message> messages, Duration extension) {
        if (!extension.isZero()) {
            return;
        }
        Map<String, BigInteger> earliest = new LinkedHashMap<>();
        for (Message message : messages) {
            SourceCoordinates.Stream at = coordinates(message);
            earliest.merge(at.shardId(), new BigInteger(at.sequenceNumber()), BigInteger::min);
            ShardState shard = shards.get(at.shardId());
            if (shard != null) {
                shard.watermark.released(at.sequenceNumber());
            }
        }
        earliest.forEach((shardId, sequence) -> {
            ShardState shard = shards.get(shardId);
            if (shard != null) {
                shard.buffer.rewind(sequence.toString());
                log.debug("stream {} shard {}: released records rewind the reader", stream, shardId);
            }
        });
    }

    /** None: records stay handed out until acknowledged or released, so the runner's heartbeat has nothing to do. */
    @Override
    public Duration claimTimeout() {
        return Duration.ZERO;
    }

    /**
     * Records read ahead (visible), handed out and not yet acknowledged (in flight), and how far the furthest-behind
     * reader trails the newest record (millisBehindLatest).
     */
    @Override
    public Optional<Backlog> backlog() {
        long buffered = 0;
        long inWork = 0;
        for (ShardState shard : shards.values()) {
            buffered += shard.buffer.size();
            inWork += shard.watermark.inWork();
        }
        Optional<Duration> behind = millisBehindLatest().values().stream().max(Long::compare).map(Duration::ofMillis);
        return Optional.of(new Backlog(buffered, inWork, OptionalLong.empty(), behind));
    }

    /** Per shard being read, how far its last read trailed the shard's newest record, in milliseconds. */
    public Map<String, Long> millisBehindLatest() {
        Map<String, Long> behind = new LinkedHashMap<>();
        shards.forEach((id, shard) -> {
            if (!finished.contains(id)) {
                shard.reader.millisBehindLatest().ifPresent(ms -> behind.put(id, ms));
            }
        });
        return behind;
    }

    /** Shards read to their end with every record checkpointed, stored as finished. */
    public Set<String> finishedShards() {
        return Set.copyOf(finished);
    }

    /** Stops discovery and the readers and writes the last checkpoints; closing twice is harmless. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        if (discoverer != null) {
            discoverer.interrupt();
            join(discoverer);
        }
        // Woken, not interrupted: an interrupt in the middle of a checkpoint write closes its database connection.
        stopCheckpointing.countDown();
        if (checkpointer != null) {
            join(checkpointer);
        }
        shards.values().forEach(ShardState::stop);
        shards.values().forEach(shard -> join(shard.thread));
        try {
            writeCheckpoints();
        } catch (Exception e) {
            log.warn("stream {}: the last checkpoints could not be written; the records after the stored ones will be "
                    + "read again: {}", stream, e.toString());
        }
        signalData();
        if (ownedClient != null) {
            ownedClient.close();
        }
        log.info("stopped reading Kinesis stream {}", stream);
    }

    private List<Message> collect(int max) {
        List<ShardState> open = shards.values().stream().filter(s -> !finished.contains(s.shardId)).toList();
        List<Message> messages = new ArrayList<>();
        if (open.isEmpty()) {
            return messages;
        }
        // Start at a different shard each time, so one busy shard does not starve the others.
        int first = Math.floorMod(nextShard.getAndIncrement(), open.size());
        for (int i = 0; i < open.size() && messages.size() < max; i++) {
            ShardState shard = open.get((first + i) % open.size());
            for (StreamRecord record : shard.buffer.take(max - messages.size(),
                    r -> shard.watermark.handedOut(r.sequenceNumber()))) {
                messages.add(message(shard.shardId, record));
            }
        }
        return messages;
    }

    private Message message(String shardId, StreamRecord record) {
        return new Message(new String(record.data(), StandardCharsets.UTF_8),
                new SourceCoordinates.Stream(stream, shardId, record.sequenceNumber()), record.arrivedAt(),
                shardId + "@" + record.sequenceNumber());
    }

    private SourceCoordinates.Stream coordinates(Message message) {
        if (message.coordinates() instanceof SourceCoordinates.Stream at && at.stream().equals(stream)) {
            return at;
        }
        throw new IllegalArgumentException("message " + message.coordinates().describe() + " is not from Kinesis "
                + "stream " + stream);
    }

    /** @param atStart whether these shards are read from the source's start (not found or readable later) */
    private void startReadable(List<StreamShard> listed, boolean atStart) {
        for (StreamShard shard : ShardLineage.readable(listed, finished, shards.keySet())) {
            Checkpoint checkpoint = loaded.get(shard.shardId());
            Optional<String> resumeAfter = Optional.ofNullable(checkpoint).map(Checkpoint::sequenceNumber);
            IteratorPosition start = resumeAfter.<IteratorPosition>map(IteratorPosition.AfterSequence::new)
                    .orElseGet(() -> startWithoutCheckpoint(shard, atStart));
            ShardBuffer buffer = new ShardBuffer(settings.bufferPerShard(), start, this::signalData);
            ShardReader reader = new ShardReader(stream, shard.shardId(), proxy, buffer, settings.recordsPerCall(),
                    new GetRecordsPacer(settings.getRecordsInterval(), InstantSource.system(), Sleeper.SYSTEM),
                    settings.throughputBackoff(), InstantSource.system(), Sleeper.SYSTEM);
            ShardState state = new ShardState(shard.shardId(), buffer, new ShardWatermark(resumeAfter), reader,
                    resumeAfter.orElse(null));
            shards.put(shard.shardId(), state);
            state.thread.start();
            log.info("stream {} shard {}: reading from {}", stream, shard.shardId(), describe(start));
        }
    }

    /**
     * Where a shard without a checkpoint starts. A child of a parent checkpointed in an earlier run starts at its
     * first record: its parent was read to its end, so everything in the child follows what was read. A shard read
     * from the source's start takes the configured position. Any other shard is started later (a child once its
     * parents finished in this run, a shard first seen by a later discovery): LATEST would skip what reached it
     * between the source's start and now, so it starts at the source's start time instead (AT_TIMESTAMP; Kinesis
     * reads a shard created after that time from its first record).
     */
    private IteratorPosition startWithoutCheckpoint(StreamShard shard, boolean atStart) {
        boolean parentCheckpointed = Stream.of(shard.parentShardId(), shard.adjacentParentShardId())
                .filter(Objects::nonNull).anyMatch(loaded::containsKey);
        if (parentCheckpointed) {
            return new IteratorPosition.TrimHorizon();
        }
        return switch (settings.startPosition()) {
            case TRIM_HORIZON -> new IteratorPosition.TrimHorizon();
            case LATEST -> atStart ? new IteratorPosition.Latest() : new IteratorPosition.AtTimestamp(startedAt);
            case AT_TIMESTAMP -> new IteratorPosition.AtTimestamp(settings.startTimestamp());
        };
    }

    private static String describe(IteratorPosition position) {
        return switch (position) {
            case IteratorPosition.TrimHorizon ignored -> "the oldest record kept";
            case IteratorPosition.Latest ignored -> "the latest record";
            case IteratorPosition.AtTimestamp at -> "records from " + at.timestamp();
            case IteratorPosition.AtSequence at -> "sequence number " + at.sequenceNumber();
            case IteratorPosition.AfterSequence after -> "after checkpoint " + after.sequenceNumber();
        };
    }

    private void discoveryLoop() {
        while (!closed) {
            discovery.lock();
            try {
                discoverNow.await(settings.shardDiscoveryInterval().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            } finally {
                discovery.unlock();
            }
            try {
                startReadable(proxy.listShards(stream), false);
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("stream {}: listing shards failed, trying again in {} ms: {}", stream,
                        settings.shardDiscoveryInterval().toMillis(), e.toString());
            }
        }
    }

    private void checkpointLoop() {
        while (!closed) {
            try {
                if (stopCheckpointing.await(settings.checkpointInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                writeCheckpoints();
            } catch (Exception e) {
                log.warn("stream {}: writing checkpoints failed, trying again in {} ms: {}", stream,
                        settings.checkpointInterval().toMillis(), e.toString());
            }
        }
    }

    /**
     * Stores every checkpoint that moved, and marks shards finished that are read to their end with every record
     * acknowledged; once that is stored, their readers stop and discovery runs at once to start their children.
     */
    private void writeCheckpoints() throws Exception {
        List<ShardState> finishing = new ArrayList<>();
        checkpointWriting.lock();
        try {
            List<Checkpoint> due = new ArrayList<>();
            for (ShardState shard : shards.values()) {
                if (finished.contains(shard.shardId)) {
                    continue;
                }
                Optional<String> position = shard.watermark.checkpoint();
                if (shard.buffer.drainedToEnd(shard.watermark::allAcknowledged)) {
                    due.add(new Checkpoint(shard.shardId, position.orElse(null), true));
                    finishing.add(shard);
                } else if (position.isPresent() && !position.get().equals(shard.stored)) {
                    due.add(new Checkpoint(shard.shardId, position.get(), false));
                }
            }
            if (due.isEmpty()) {
                return;
            }
            checkpoints.save(stream, due);
            for (Checkpoint checkpoint : due) {
                shards.get(checkpoint.shardId()).stored = checkpoint.sequenceNumber();
            }
            for (ShardState shard : finishing) {
                finished.add(shard.shardId);
                shard.stop();
                log.info("stream {} shard {}: finished, every record checkpointed", stream, shard.shardId);
            }
        } finally {
            checkpointWriting.unlock();
        }
        if (!closed && !finishing.isEmpty()) {
            discovery.lock();
            try {
                discoverNow.signalAll();
            } finally {
                discovery.unlock();
            }
        }
    }

    private long dataVersion() {
        data.lock();
        try {
            return dataVersion;
        } finally {
            data.unlock();
        }
    }

    private void signalData() {
        data.lock();
        try {
            dataVersion++;
            dataArrived.signalAll();
        } finally {
            data.unlock();
        }
    }

    private void awaitData(long seenVersion, long nanos) throws InterruptedException {
        data.lock();
        try {
            if (dataVersion == seenVersion) {
                dataArrived.awaitNanos(nanos);
            }
        } finally {
            data.unlock();
        }
    }

    private static void join(Thread thread) {
        try {
            if (!thread.join(STOP_WAIT)) {
                log.warn("thread {} did not stop within {} s", thread.getName(), STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the source reads and where it keeps checkpoints; {@link #build()} starts it. */
    public static final class Builder {

        private final KinesisSourceSettings settings;
        private KinesisProxy proxy;
        private KinesisClient ownedClient;
        private CheckpointStore checkpoints;

        private Builder(KinesisSourceSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** A client made from {@code aws} (its Kinesis endpoint override included), closed with the source. */
        public Builder aws(AwsClientSettings aws) {
            this.ownedClient = KinesisClients.create(aws);
            this.proxy = new SdkKinesisProxy(ownedClient);
            return this;
        }

        /** A client the caller owns and closes. */
        public Builder client(KinesisClient client) {
            this.proxy = new SdkKinesisProxy(client);
            return this;
        }

        /** Kinesis calls through {@code proxy}: a fake in unit tests. */
        public Builder proxy(KinesisProxy proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        public Builder checkpoints(CheckpointStore checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            return this;
        }

        /**
         * Loads the checkpoints, lists the shards and starts reading.
         *
         * @throws IllegalArgumentException when the stream does not exist
         * @throws IllegalStateException    when no client or no checkpoint store was given, or the checkpoints
         *                                  cannot be loaded
         */
        public KinesisSource build() {
            if (proxy == null) {
                throw new IllegalStateException("a Kinesis source needs a client: call aws(...), client(...) or "
                        + "proxy(...)");
            }
            if (checkpoints == null) {
                throw new IllegalStateException("a Kinesis source needs a checkpoint store: call checkpoints(...)");
            }
            KinesisSource source = new KinesisSource(this, proxy);
            try {
                source.start();
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
            return source;
        }
    }
}
