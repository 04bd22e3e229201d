package dev.sluice.core.dedupe;

import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Keeps a second copy of an event (same key, within the horizon) out of a {@link BufferingSink}: the copy is
 * dropped, counted and its message acknowledged at once, while the first copy's message stays claimed until its
 * file is stored.
 *
 * <p>What counts as seen, in three places:
 * <ol>
 *   <li><b>in flight</b>: keys taken into the wrapped sink and not stored yet (exact, in memory; bounded by what
 *       the wrapped sink buffers), so a copy arriving while the first one's file is still open is dropped;</li>
 *   <li><b>recorded</b>: {@link SeenEvents}, written when the wrapped sink reports a file stored and before its
 *       messages are acknowledged, so only events really at the destination count, and a crash between the store
 *       and the record means the messages come again and rewrite the same file;</li>
 *   <li><b>hourly Bloom filters</b> over the horizon, loaded from the records at start and fed as files are
 *       stored: an event they certainly do not hold needs no lookup; the others are looked up in one round trip
 *       per write batch.</li>
 * </ol>
 * Records older than the horizon (the later of event time and arrival before now minus horizon) are purged every
 * {@link DedupeSettings#purgeEvery()}. The wrapped sink receives the surviving deliveries in their original order.
 *
 * <pre>{@code
 * BufferingSink<LakeEvent> lake = new DedupingSink<>(new LakeSink(...), e -> new SeenEvent(e.uuid(), e.createdAt()),
 *         new PostgresSeenEvents(db.dataSource(), "lake_seen"), DedupeSettings.DEFAULTS, Clock.systemUTC());
 * Runner.builder("lake", kinesis, parser, lake, errors).build().start();
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
    private final ConcurrentHashMap<String, Message> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Message, SeenEvent> buffered = new ConcurrentHashMap<>();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder lookups = new LongAdder();
    private volatile Durable durable;
    private volatile Instant lastPurge = Instant.MIN;

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
        stored.start(Durable.of(this::onStored, this::onReleased));
    }

    @Override
    public void write(List<Delivery<T>> deliveries) throws Exception {
        Instant now = clock.instant();
        List<Message> copies = new ArrayList<>();
        Map<Delivery<T>, SeenEvent> taken = new IdentityHashMap<>();
        Set<String> toLookUp = new HashSet<>();
        for (Delivery<T> d : deliveries) {
            SeenEvent event = identity.apply(d.value());
            if (inFlight.putIfAbsent(event.key(), d.source()) != null) {
                copies.add(d.source());
                continue;
            }
            taken.put(d, event);
            if (!filters.covers(event.eventTime(), now) || filters.mightContain(event.key())) {
                toLookUp.add(event.key());
            }
        }
        List<Delivery<T>> fresh = new ArrayList<>(taken.size());
        try {
            Set<String> recorded = toLookUp.isEmpty() ? Set.of() : seen.recorded(toLookUp);
            lookups.add(toLookUp.size());
            for (Delivery<T> d : deliveries) {
                SeenEvent event = taken.get(d);
                if (event == null) {
                    continue;
                }
                if (recorded.contains(event.key())) {
                    inFlight.remove(event.key(), d.source());
                    copies.add(d.source());
                } else {
                    buffered.put(d.source(), event);
                    fresh.add(d);
                }
            }
            if (!fresh.isEmpty()) {
                stored.write(fresh);
            }
        } catch (Exception e) {
            // Nothing was taken: free the keys so the runner's retry of this batch finds them new again.
            taken.forEach((d, event) -> {
                buffered.remove(d.source());
                inFlight.remove(event.key(), d.source());
            });
            throw e;
        }
        if (!copies.isEmpty()) {
            duplicates.add(copies.size());
            for (Message copy : copies) {
                log.debug("dedupe: dropped {}: its event is already stored or being stored",
                        copy.coordinates().describe());
            }
            durable.durable(copies);
        }
    }

    /**
     * The wrapped sink stored these messages' events: record them, then let the runner acknowledge. The record is
     * retried until it succeeds; acknowledging before it would let a replay store the events a second time.
     */
    private void onStored(List<Message> messages) {
        List<SeenEvent> events = new ArrayList<>(messages.size());
        for (Message m : messages) {
            SeenEvent event = buffered.get(m);
            if (event != null) {
                events.add(event);
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                seen.record(events, clock.instant());
                break;
            } catch (Exception e) {
                log.warn("dedupe: recording {} stored events failed (attempt {}), retrying: {}", events.size(),
                        attempt + 1, e.toString());
                try {
                    Thread.sleep(RECORD_RETRY.delay(attempt));
                } catch (InterruptedException stop) {
                    // Stopping: the messages stay unacknowledged and come again; their files are rewritten.
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        Instant now = clock.instant();
        for (Message m : messages) {
            SeenEvent event = buffered.remove(m);
            if (event != null) {
                filters.add(event, now);
                inFlight.remove(event.key(), m);
            }
        }
        durable.durable(messages);
    }

    /** The wrapped sink gave these messages' events up: they are no longer in flight, and come again. */
    private void onReleased(List<Message> messages, String reason) {
        for (Message m : messages) {
            SeenEvent event = buffered.remove(m);
            if (event != null) {
                inFlight.remove(event.key(), m);
            }
        }
        durable.release(messages, reason);
    }

    @Override
    public void roll(Instant now) throws Exception {
        stored.roll(now);
        if (Duration.between(lastPurge, now).compareTo(settings.purgeEvery()) >= 0) {
            Instant cutoff = now.minus(settings.horizon());
            long forgotten = seen.forgetBefore(cutoff);
            filters.expire(now);
            lastPurge = now;
            log.debug("dedupe: forgot {} events older than {}", forgotten, cutoff);
        }
    }

    @Override
    public void flush() throws Exception {
        stored.flush();
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
        return inFlight.size();
    }
}
