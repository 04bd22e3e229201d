package dev.sluice.core.dedupe;

import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PermanentFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Keeps a second copy of an event (same key, within the horizon) out of a {@link BufferingSink}: the copy is
 * dropped and counted; its message is acknowledged at once when the event is recorded as stored, and together with
 * the first copy's message when the first is still in an open file. A "copy" may be the very same record come back
 * (an SQS message redelivered after its claim lapsed, a Kinesis record read again after a rewind): acknowledging it
 * before the file is stored would delete it, or move the checkpoint past it, while the event is only in an open
 * file. If the wrapped sink gives the first up ({@link Durable#release}), its copies go back with it. A stored file
 * whose events cannot be recorded is undone ({@link Durable#durable(List, Durable.Undo)}) before its messages go
 * back, so their redelivery cannot store the events a second time next to it.
 *
 * <p>What counts as seen, in three places:
 * <ol>
 *   <li><b>in flight</b>: keys taken into the wrapped sink and not stored yet (exact, in memory; bounded by what
 *       the wrapped sink buffers), so a copy arriving while the first one's file is still open is dropped and
 *       waits for that file;</li>
 *   <li><b>recorded</b>: {@link SeenEvents}, written when the wrapped sink reports a file stored and before its
 *       messages are acknowledged, so only events really at the destination count, and a crash between the store
 *       and the record means the messages come again (and, with the ledger below, the file is deleted first);</li>
 *   <li><b>hourly Bloom filters</b> over the horizon, loaded from the records at start and fed as files are
 *       stored: an event they certainly do not hold needs no lookup; the others are looked up in one round trip
 *       per write batch.</li>
 * </ol>
 * A wrapped sink that announces its stores by name ({@link Durable#storing}, the files sink) gets a ledger in the
 * {@link SeenEvents} store: a row before each put, dropped with the record of the file's events; before the first
 * write, the files of rows an earlier run left are deleted.
 *
 * <p>Records older than the horizon (the later of event time and arrival before now minus horizon) are purged every
 * {@link DedupeSettings#purgeEvery()}. The wrapped sink receives the surviving deliveries in their original order.
 *
 * <pre>{@code
 * BufferingSink<Click> files = new DedupingSink<>(new ParquetFiles(...), c -> new SeenEvent(c.id(), c.time()),
 *         new PostgresSeenEvents(db.dataSource(), "clicks_seen"), DedupeSettings.DEFAULTS, Clock.systemUTC());
 * Runner.builder("clicks", kinesis, parser, files, errors).build().start();
 * }</pre>
 */
public final class DedupingSink<T> implements BufferingSink<T> {

    private static final Logger log = LoggerFactory.getLogger(DedupingSink.class);
    private static final Backoff RECORD_RETRY = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final BufferingSink<T> stored;
    private final Function<? super T, SeenEvent> identity;
    private final SeenEvents seen;
    private final DedupeSettings settings;
    private final Clock clock;
    private final HourlyBloomFilters filters;
    /** Guards {@link #inFlight} and {@link #taken}; never held across a call to the database or the wrapped sink. */
    private final Object lock = new Object();
    /** By key: the event taken into the wrapped sink and not stored yet, with the copies waiting for its file. */
    private final Map<String, Taken> inFlight = new HashMap<>();
    /**
     * The same, by the message taken, compared by identity: a record read again is equal to the first read but is a
     * copy, acknowledged only with the first.
     */
    private final Map<Message, Taken> taken = new IdentityHashMap<>();
    /** Stores given up whose undo failed: their messages stay claimed until an undo at a later roll succeeds. */
    private final Queue<Undoing> undoing = new ConcurrentLinkedQueue<>();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder lookups = new LongAdder();
    private volatile Durable durable;
    private volatile Instant lastPurge = Instant.MIN;
    /** Guards the settling of an earlier run's ledger rows, done once before the first write. */
    private final Object settling = new Object();
    private volatile boolean settled;

    public DedupingSink(BufferingSink<T> stored, Function<? super T, SeenEvent> identity, SeenEvents seen,
                        DedupeSettings settings, Clock clock) {
        this.stored = Objects.requireNonNull(stored, "stored");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.seen = Objects.requireNonNull(seen, "seen");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.filters = new HourlyBloomFilters(settings.horizon(), settings.expectedPerHour(),
                settings.falsePositiveRate());
    }

    /**
     * Loads the recorded events of the horizon into the filters, then starts the wrapped sink. When the records
     * cannot be read the filters cover nothing and every event is looked up: slower, never wrong.
     */
    @Override
    public void start(Durable durable) {
        this.durable = Objects.requireNonNull(durable, "durable");
        Instant now = clock.instant();
        Instant from = filters.coverFrom(now.minus(settings.horizon()));
        try {
            seen.forEachSince(from, e -> filters.add(e, now));
        } catch (Exception e) {
            filters.coverNothing();
            log.warn("dedupe: could not load the recorded events since {} ({}); every event is looked up until "
                    + "the next start", from, e.toString());
        }
        stored.start(new Durable() {
            @Override
            public void durable(List<Message> messages) {
                onStored(messages, null, NOTHING_TO_UNDO);
            }

            @Override
            public boolean durable(List<Message> messages, Undo undo) {
                return onStored(messages, null, undo);
            }

            @Override
            public void storing(String object) throws Exception {
                seen.storing(object);
            }

            @Override
            public boolean durable(List<Message> messages, String object, Undo undo) {
                return onStored(messages, object, undo);
            }

            @Override
            public void release(List<Message> messages, String reason) {
                onReleased(messages, reason);
            }
        });
    }

    /** A store reported without an undo: one a replay rewrites in place, so there is nothing to take back. */
    private static final Durable.Undo NOTHING_TO_UNDO = () -> { };

    /** A store given up whose undo has not succeeded yet; {@code object} its ledger name, or null. */
    private record Undoing(List<Message> messages, String object, Durable.Undo undo, String reason) {
    }

    /** An event taken into the wrapped sink: its message, and the messages of copies that wait for its file. */
    private static final class Taken {
        final Message first;
        final SeenEvent event;
        final List<Message> copies = new ArrayList<>();

        Taken(Message first, SeenEvent event) {
            this.first = first;
            this.event = event;
        }
    }

    @Override
    public void write(List<Delivery<T>> deliveries) throws Exception {
        settleLeftovers();
        Instant now = clock.instant();
        Set<Message> batch = Collections.newSetFromMap(new IdentityHashMap<>());
        deliveries.forEach(d -> batch.add(d.source()));
        Map<Delivery<T>, Taken> mine = new IdentityHashMap<>();
        List<Taken> waitedOn = new ArrayList<>();
        Set<String> toLookUp = new HashSet<>();
        try {
            synchronized (lock) {
                for (Delivery<T> d : deliveries) {
                    SeenEvent event = identity.apply(d.value());
                    Taken first = inFlight.get(event.key());
                    if (first != null) {
                        first.copies.add(d.source());
                        waitedOn.add(first);
                        continue;
                    }
                    Taken t = new Taken(d.source(), event);
                    inFlight.put(event.key(), t);
                    taken.put(d.source(), t);
                    mine.put(d, t);
                    if (!filters.covers(event.eventTime(), now) || filters.mightContain(event.key())) {
                        toLookUp.add(event.key());
                    }
                }
            }
            Set<String> recorded = toLookUp.isEmpty() ? Set.of() : seen.recorded(toLookUp);
            lookups.add(toLookUp.size());
            List<Delivery<T>> fresh = new ArrayList<>(mine.size());
            List<Message> alreadyStored = new ArrayList<>();
            synchronized (lock) {
                for (Delivery<T> d : deliveries) {
                    Taken t = mine.get(d);
                    if (t == null) {
                        continue;
                    }
                    if (recorded.contains(t.event.key())) {
                        forget(t);
                        alreadyStored.add(t.first);
                        alreadyStored.addAll(t.copies);
                    } else {
                        fresh.add(d);
                    }
                }
            }
            if (!alreadyStored.isEmpty()) {
                // Recorded means stored: these need not wait for anything.
                durable.durable(alreadyStored);
            }
            if (!fresh.isEmpty()) {
                stored.write(fresh);
            }
            int dropped = waitedOn.size() + mine.size() - fresh.size();
            duplicates.add(dropped);
            if (dropped > 0) {
                log.debug("dedupe: dropped {} copies of events already stored or being stored", dropped);
            }
        } catch (Exception | Error e) {
            freeAfterFailedWrite(mine.values(), waitedOn, batch);
            throw e;
        }
    }

    /**
     * Before the first write, deletes every object an earlier run announced ({@link Durable#storing}) and stored but
     * whose events were never recorded: a crash between a put and its record. Deleting is safe: the record and the
     * ledger row's removal are one transaction, so a row left means none of that file's messages was acknowledged,
     * and they all come again. Recording the file's events instead (reading them back from the object) would
     * need every format read back and the key field found in it; deleting needs nothing of the file. What deleting
     * prevents: the replay cuts its files elsewhere (an age roll), so a second unrecorded file of a partition would
     * stay beside a longer rewrite of the first and hold its events twice. It assumes one process per pipeline, as a
     * row of a file another process is storing now would be deleted under it. Fails the write (the runner retries
     * it) until it succeeded, so nothing is stored before.
     */
    private void settleLeftovers() throws Exception {
        if (settled) {
            return;
        }
        synchronized (settling) {
            if (settled) {
                return;
            }
            Set<String> left = seen.unsettled();
            for (String object : left) {
                stored.deleteStored(object);
                seen.settled(object);
            }
            if (!left.isEmpty()) {
                log.info("dedupe: deleted {} stored files whose events an earlier run did not record; their "
                        + "messages were never acknowledged and come again", left.size());
            }
            settled = true;
        }
    }

    /**
     * Nothing of a failed write was taken (an {@link Error} too: the runner then hands the batch back): its keys are
     * free again, so the runner's retry finds them new; its copies no longer wait. Copies from other writes that
     * waited for one of its events go back to the source, as that event will not be stored from here.
     */
    private void freeAfterFailedWrite(Collection<Taken> mine, List<Taken> waitedOn, Set<Message> batch) {
        List<Message> orphans = new ArrayList<>();
        synchronized (lock) {
            for (Taken first : waitedOn) {
                first.copies.removeIf(batch::contains);
            }
            for (Taken t : mine) {
                if (taken.get(t.first) == t) {
                    forget(t);
                    t.copies.stream().filter(m -> !batch.contains(m)).forEach(orphans::add);
                }
            }
        }
        if (!orphans.isEmpty()) {
            durable.release(orphans, "dedupe: the write of the first copy failed");
        }
    }

    /** Under {@link #lock}: {@code t} is no longer in flight. */
    private void forget(Taken t) {
        inFlight.remove(t.event.key(), t);
        taken.remove(t.first);
    }

    /**
     * The wrapped sink stored these messages' events: record them, then let the runner acknowledge them and the
     * copies that waited for them; acknowledging before the record would let a replay store the events a second
     * time. The record is retried for {@link DedupeSettings#recordFor()} (this runs while the wrapped sink holds its
     * store lock, so it must end): then, or at once on a {@link PermanentFailureException}, the store is given up
     * ({@link #giveBack}), and the events are written again when their messages come.
     *
     * @return whether the messages were acknowledged
     */
    private boolean onStored(List<Message> messages, String object, Durable.Undo undo) {
        List<Taken> stored = new ArrayList<>(messages.size());
        synchronized (lock) {
            for (Message m : messages) {
                Taken t = taken.get(m);
                if (t != null) {
                    stored.add(t);
                }
            }
        }
        List<SeenEvent> events = stored.stream().map(t -> t.event).toList();
        long giveUpAt = System.nanoTime() + settings.recordFor().toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                if (object == null) {
                    seen.record(events, clock.instant());
                } else {
                    seen.record(events, clock.instant(), object);
                }
                break;
            } catch (PermanentFailureException e) {
                giveBack(new Undoing(messages, object, undo, "dedupe: recording stored events failed permanently: "
                        + e.getMessage()));
                return false;
            } catch (Exception e) {
                if (System.nanoTime() - giveUpAt >= 0) {
                    giveBack(new Undoing(messages, object, undo, "dedupe: recording stored events kept failing ("
                            + e.getClass().getSimpleName() + ") for " + settings.recordFor() + "; given up"));
                    return false;
                }
                log.warn("dedupe: recording {} stored events failed (attempt {}), retrying: {}", events.size(),
                        attempt + 1, e.toString());
                try {
                    Thread.sleep(RECORD_RETRY.delay(attempt));
                } catch (InterruptedException stop) {
                    // Stopping: the runner hands back every message not acknowledged; the wrapped sink keeps what
                    // lets its next start settle the store.
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        Instant now = clock.instant();
        List<Message> acknowledge = new ArrayList<>(messages);
        synchronized (lock) {
            for (Taken t : stored) {
                filters.add(t.event, now);
                forget(t);
                acknowledge.addAll(t.copies);
            }
        }
        durable.durable(acknowledge);
        return true;
    }

    /**
     * Gives up a store whose events could not be recorded: undoes it, and only then hands its messages back. Handed
     * back over a store that stays, they would come again (an SQS queue groups them into other files) and be stored
     * a second time. When the undo fails, the messages stay claimed and in flight (their copies keep waiting), and
     * the undo is tried again at each {@link #roll}; a stop meanwhile releases them with the store still there, and
     * the wrapped sink's next start settles it (a sink that can read its objects back records their events).
     */
    private void giveBack(Undoing store) {
        try {
            undo(store);
        } catch (Exception e) {
            log.error("dedupe: a stored file whose events could not be recorded ({}) could not be deleted either "
                    + "({}); its {} messages stay claimed, and the delete is tried again at each roll",
                    store.reason(), e.toString(), store.messages().size());
            undoing.add(store);
            return;
        }
        onReleased(store.messages(), store.reason());
    }

    /**
     * Deletes the stored file, then its ledger row. A row whose drop fails stays: the next start deletes the object
     * again, which is gone already, and drops it.
     */
    private void undo(Undoing store) throws Exception {
        store.undo().undo();
        if (store.object() != null) {
            try {
                seen.settled(store.object());
            } catch (Exception e) {
                log.warn("dedupe: dropping the ledger row of a deleted file failed; the next start drops it: {}",
                        e.toString());
            }
        }
    }

    /** The wrapped sink gave these messages' events up: they, and the copies waiting for them, come again. */
    private void onReleased(List<Message> messages, String reason) {
        List<Message> release = new ArrayList<>(messages);
        synchronized (lock) {
            for (Message m : messages) {
                Taken t = taken.get(m);
                if (t != null) {
                    forget(t);
                    release.addAll(t.copies);
                }
            }
        }
        durable.release(release, reason);
    }

    @Override
    public void roll(Instant now) throws Exception {
        retryUndos();
        stored.roll(now);
        if (Duration.between(lastPurge, now).compareTo(settings.purgeEvery()) >= 0) {
            // Tried again after purgeEvery if it fails: records kept a while longer cost space, not correctness,
            // and must not count as a failed store (which the runner would give up).
            lastPurge = now;
            Instant cutoff = now.minus(settings.horizon());
            try {
                long forgotten = seen.forgetBefore(cutoff);
                log.debug("dedupe: forgot {} events older than {}", forgotten, cutoff);
            } catch (Exception e) {
                log.warn("dedupe: forgetting the events older than {} failed, trying again in {}: {}", cutoff,
                        settings.purgeEvery(), e.toString());
            }
            filters.expire(now);
        }
    }

    /** Tries once more to undo each store given up whose undo failed; the messages of each one undone go back. */
    private void retryUndos() {
        for (int pending = undoing.size(); pending > 0; pending--) {
            Undoing store = undoing.poll();
            if (store == null) {
                return;
            }
            try {
                undo(store);
            } catch (Exception e) {
                log.warn("dedupe: deleting a stored file whose events could not be recorded failed again ({}); its {} "
                        + "messages stay claimed", e.toString(), store.messages().size());
                undoing.add(store);
                continue;
            }
            onReleased(store.messages(), store.reason());
        }
    }

    @Override
    public void flush() throws Exception {
        stored.flush();
    }

    @Override
    public void giveUpPending(String reason) {
        stored.giveUpPending(reason);
    }

    @Override
    public Duration tick() {
        return stored.tick();
    }

    /** Copies dropped since start. */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Keys looked up in {@link SeenEvents} since start (the filters sent them, or could not vouch for them). */
    public long lookups() {
        return lookups.sum();
    }

    /** Keys in files not stored yet. */
    public int inFlight() {
        synchronized (lock) {
            return inFlight.size();
        }
    }
}
