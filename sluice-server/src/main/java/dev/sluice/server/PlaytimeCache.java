package dev.sluice.server;

import dev.sluice.redis.PlaytimeSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The last playtime snapshot, read from the store at most once per max age and kept serialized, so the API answers
 * from memory: reading 10,000 users from Redis takes 40-140 ms, far more than the few milliseconds a request may
 * take.
 *
 * <p>The rules, and why:
 * <ul>
 *   <li><b>Fresh</b> (younger than {@code maxAge}, default 1 s): served as it is.
 *       A file counted in Redis shows up within about {@code maxAge} plus one read.</li>
 *   <li><b>Older</b>: the request that notices refreshes it, one at a time (a lock); every other request meanwhile
 *       serves the previous snapshot instead of waiting or reading Redis too. So Redis sees at most one snapshot
 *       read at a time however many clients there are, and only the refreshing request waits.</li>
 *   <li><b>Nothing to serve yet</b> (the very first request, or the last snapshot is older than the stale limit):
 *       the request waits for the read, and so do the requests arriving meanwhile; they all get its result.</li>
 *   <li><b>Store failing</b>: the last snapshot is served as long as it is younger than {@code staleLimit} (default
 *       60 s), so a Redis restart or failover does not take the API down; the API
 *       shows its age in a header. After that the API answers 503 rather than numbers that old. A failed read is
 *       retried at most once per {@code maxAge}, so a sick Redis is not hammered and requests do not queue behind
 *       connection timeouts.</li>
 * </ul>
 * The per-user endpoint reads the same snapshot, so both endpoints always agree.
 */
final class PlaytimeCache implements MeterBinder {

    static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);
    static final Duration DEFAULT_STALE_LIMIT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(PlaytimeCache.class);

    private final Supplier<PlaytimeSnapshot> source;
    private final long maxAgeNanos;
    private final long staleLimitNanos;
    private final Duration staleLimit;
    private final ReentrantLock refreshing = new ReentrantLock();
    // Null until bound to the server's registry: a cache used on its own records nothing.
    private volatile Timer reads;
    private volatile Timer failedReads;

    private volatile CachedSnapshot current;
    private RuntimeException lastFailure; // guarded by refreshing
    private long lastFailureNanos;        // guarded by refreshing

    /**
     * @param source     reads a snapshot, e.g. {@code store::snapshot}; throws when the store cannot be read
     * @param maxAge     how old a snapshot may be and still be served without a refresh; at least 1 ms
     * @param staleLimit how old a snapshot may be and still be served while the store fails; at least
     *                   {@code maxAge}
     */
    PlaytimeCache(Supplier<PlaytimeSnapshot> source, Duration maxAge, Duration staleLimit) {
        this.source = Objects.requireNonNull(source, "source");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(staleLimit, "staleLimit");
        if (maxAge.toMillis() < 1) {
            throw new IllegalArgumentException("maxAge must be at least 1 ms, got " + maxAge);
        }
        if (staleLimit.compareTo(maxAge) < 0) {
            throw new IllegalArgumentException("staleLimit must be at least maxAge (" + maxAge + "), got "
                    + staleLimit);
        }
        this.maxAgeNanos = maxAge.toNanos();
        this.staleLimitNanos = staleLimit.toNanos();
        this.staleLimit = staleLimit;
    }

    /**
     * The snapshot to serve now.
     *
     * @throws PlaytimeUnavailableException when the store cannot be read and no snapshot younger than the stale
     *                                      limit is there
     */
    CachedSnapshot get() {
        CachedSnapshot cached = current;
        long now = System.nanoTime();
        if (cached != null && now - cached.readAtNanos() < maxAgeNanos) {
            return cached;
        }
        if (cached != null && now - cached.readAtNanos() <= staleLimitNanos) {
            if (!refreshing.tryLock()) {
                return cached; // another request is refreshing: serve the previous snapshot meanwhile
            }
            try {
                return refreshOrKeep(cached);
            } finally {
                refreshing.unlock();
            }
        }
        refreshing.lock(); // nothing servable: wait for the read under way, if there is one
        try {
            CachedSnapshot latest = current;
            if (latest != null && System.nanoTime() - latest.readAtNanos() <= staleLimitNanos) {
                return latest;
            }
            if (failedRecently()) {
                throw unavailable(lastFailure);
            }
            return read();
        } finally {
            refreshing.unlock();
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sluice.playtime.snapshot.age", this, PlaytimeCache::ageSeconds)
                .description("Age of the playtime snapshot the API serves")
                .baseUnit("seconds")
                .register(registry);
        failedReads = readTimer(registry, "failure");
        reads = readTimer(registry, "success");
    }

    /** Lock held. */
    private CachedSnapshot refreshOrKeep(CachedSnapshot cached) {
        CachedSnapshot latest = current;
        if (latest != cached || failedRecently()) {
            return latest; // refreshed since this request looked, or a read failed a moment ago
        }
        try {
            return read();
        } catch (PlaytimeUnavailableException e) {
            return cached; // younger than the stale limit, so still served
        }
    }

    /** Lock held. */
    private CachedSnapshot read() {
        long started = System.nanoTime();
        try {
            // Its age counts from the start of the read: the snapshot is at least that old.
            CachedSnapshot fresh = new CachedSnapshot(source.get(), started);
            current = fresh;
            record(reads, started);
            if (lastFailure != null) {
                log.info("playtime store readable again; serving a fresh snapshot");
                lastFailure = null;
            }
            return fresh;
        } catch (RuntimeException e) {
            long failedAt = record(failedReads, started);
            // Once per outage at WARN: a read is retried every maxAge while the store is down.
            if (lastFailure == null) {
                log.warn("playtime store unreadable ({}); {}", Redacted.describe(e), current == null
                        ? "nothing to serve until it is back"
                        : "serving the last snapshot until it is " + staleLimit.toMillis() + " ms old");
            } else {
                log.debug("playtime store still unreadable ({})", Redacted.describe(e));
            }
            lastFailure = e;
            lastFailureNanos = failedAt;
            throw unavailable(e);
        }
    }

    /** Lock held. */
    private boolean failedRecently() {
        return lastFailure != null && System.nanoTime() - lastFailureNanos < maxAgeNanos;
    }

    private static PlaytimeUnavailableException unavailable(RuntimeException cause) {
        return new PlaytimeUnavailableException("playtime store unavailable", cause);
    }

    private double ageSeconds() {
        CachedSnapshot snapshot = current;
        return snapshot == null ? Double.NaN : (System.nanoTime() - snapshot.readAtNanos()) / 1e9;
    }

    /** Records the time since {@code started} when bound to a registry; returns the present. */
    private static long record(Timer timer, long started) {
        long now = System.nanoTime();
        if (timer != null) {
            timer.record(now - started, TimeUnit.NANOSECONDS);
        }
        return now;
    }

    private static Timer readTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("sluice.playtime.snapshot.reads")
                .description("Reads of the whole playtime snapshot from the store")
                .tag("outcome", outcome)
                .register(registry);
    }
}
