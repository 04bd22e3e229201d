package dev.sluice.redis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The first page of groups (e.g. {@code GET /api/playtime} without a cursor, at the default page size), kept serialized
 * and refreshed in the background, so the requests that poll it (dashboards, scrapers) answer from memory and Redis
 * sees one page read per {@code maxAge} however many clients there are. Only a page is ever read, never every user:
 * a read costs the same with 1,000 users or 1,000,000.
 *
 * <p>The rules, and why:
 * <ul>
 *   <li><b>One refresher.</b> From the first request on, a background thread reads a new snapshot whenever the
 *       served one is older than {@code maxAge} (default 1 s), one read at a time. Requests never read Redis
 *       themselves while a snapshot can be served: they serve the previous one while the refresher reads, so Redis
 *       sees one snapshot read per {@code maxAge} however many clients there are, and no request pays for a read.
 *       A file counted in Redis shows up within {@code maxAge} plus two reads. (Refreshing from the request that
 *       notices an old snapshot instead would make one request per {@code maxAge} wait for a whole read: 2% of the
 *       requests of 50 clients polling every second, enough to break a p99 target.)</li>
 *   <li><b>Only the very first request waits</b> for a read, with the requests arriving meanwhile; they all get its
 *       result. So does the first request after the API was idle longer than {@code staleLimit}: the refresher
 *       leaves Redis alone while nobody asks.</li>
 *   <li><b>Store failing:</b> the last snapshot is served as long as it is younger than {@code staleLimit} (default
 *       60 s), so a Redis restart or failover does not take the API down; the API shows its age in a header. After
 *       that requests answer 503 rather than numbers that old. A failed read is retried once per {@code maxAge}
 *       (by the refresher, or by a request when nothing can be served), so a sick Redis is not hammered and
 *       requests do not queue behind its connection timeouts.</li>
 * </ul>
 */
public final class FirstPageCache implements MeterBinder, AutoCloseable {

    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_STALE_LIMIT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(FirstPageCache.class);

    private final String pipeline;
    private final Supplier<UsersPage> source;
    private final Function<UsersPage, byte[]> json;
    private final Duration maxAge;
    private final Duration staleLimit;
    private final ScheduledExecutorService refresher;
    private final AtomicBoolean refresherStarted = new AtomicBoolean();
    private final ReentrantLock reading = new ReentrantLock();
    // Null until bound to the server's registry: a cache used on its own records nothing.
    private volatile Timer reads;
    private volatile Timer failedReads;

    private volatile CachedPage current;
    private volatile long lastRequestNanos;
    private RuntimeException lastFailure; // guarded by reading
    private long lastFailureNanos;        // guarded by reading

    /**
     * @param pipeline   the pipeline whose page it is: the metrics' tag
     * @param source     reads the page, e.g. {@code () -> store.groups(null, 1000)}; throws when the store cannot be
     *                   read
     * @param json       writes the page's document
     * @param maxAge     how old the served snapshot may get before the refresher reads a new one; at least 1 ms
     * @param staleLimit how old a snapshot may be and still be served while the store fails; at least
     *                   {@code maxAge}
     */
    public FirstPageCache(String pipeline, Supplier<UsersPage> source, Function<UsersPage, byte[]> json,
                          Duration maxAge, Duration staleLimit) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.source = Objects.requireNonNull(source, "source");
        this.json = Objects.requireNonNull(json, "json");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.staleLimit = Objects.requireNonNull(staleLimit, "staleLimit");
        if (maxAge.toMillis() < 1) {
            throw new IllegalArgumentException("maxAge must be at least 1 ms, got " + maxAge);
        }
        if (staleLimit.compareTo(maxAge) < 0) {
            throw new IllegalArgumentException("staleLimit must be at least maxAge (" + maxAge + "), got "
                    + staleLimit);
        }
        this.refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, pipeline + "-snapshot-refresher");
            thread.setDaemon(true); // never what keeps the JVM alive
            return thread;
        });
    }

    /**
     * The snapshot to serve now.
     *
     * @throws RedisUnavailableException when the store cannot be read and no snapshot younger than the stale limit
     *                                   is there
     */
    public CachedPage get() {
        long now = System.nanoTime();
        lastRequestNanos = now;
        if (!refresherStarted.get() && refresherStarted.compareAndSet(false, true)) {
            refresher.scheduleWithFixedDelay(this::refresh, maxAge.toNanos(), maxAge.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        CachedPage cached = current;
        if (cached != null && now - cached.readAtNanos() <= staleLimit.toNanos()) {
            return cached;
        }
        reading.lock(); // nothing servable: wait for the read under way, if there is one
        try {
            CachedPage latest = current;
            if (latest != null && System.nanoTime() - latest.readAtNanos() <= staleLimit.toNanos()) {
                return latest;
            }
            if (lastFailure != null && System.nanoTime() - lastFailureNanos < maxAge.toNanos()) {
                throw unavailable(lastFailure); // a read failed a moment ago: do not queue another behind it
            }
            return read();
        } finally {
            reading.unlock();
        }
    }

    /** Stops the refresher; the cache serves what it has and reads only when that is too old. */
    @Override
    public void close() {
        refresher.shutdownNow();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sluice.totals.snapshot.age", this, FirstPageCache::ageSeconds)
                .description("Age of the first page of groups the totals routes serve")
                .tag("pipeline", pipeline)
                .baseUnit("seconds")
                .register(registry);
        failedReads = readTimer(registry, "failure");
        reads = readTimer(registry, "success");
    }

    /** The refresher's task, every {@code maxAge}. */
    private void refresh() {
        if (System.nanoTime() - lastRequestNanos > staleLimit.toNanos()) {
            return; // nobody asked for a while: leave Redis alone
        }
        reading.lock();
        try {
            CachedPage latest = current;
            if (latest == null || System.nanoTime() - latest.readAtNanos() >= maxAge.toNanos()) {
                read();
            }
        } catch (RuntimeException e) {
            // Logged by read(); requests serve the last snapshot meanwhile. Never thrown on: it would end the
            // schedule.
        } finally {
            reading.unlock();
        }
    }

    /** Lock held. */
    private CachedPage read() {
        long started = System.nanoTime();
        try {
            // Its age counts from the start of the read: the snapshot is at least that old.
            CachedPage previous = current;
            UsersPage page = source.get();
            CachedPage fresh = new CachedPage(page, json.apply(page), started,
                    previous != null && previous.gzipAsked());
            current = fresh;
            record(reads, started);
            if (lastFailure != null) {
                log.info("pipeline {}: totals store readable again; serving a fresh snapshot", pipeline);
                lastFailure = null;
            }
            return fresh;
        } catch (RuntimeException e) {
            long failedAt = record(failedReads, started);
            // Once per outage at WARN: a read is retried every maxAge while the store is down.
            if (lastFailure == null) {
                log.warn("pipeline {}: totals store unreadable ({}); {}", pipeline, e.getClass().getSimpleName(),
                        current == null
                        ? "nothing to serve until it is back"
                        : "serving the last snapshot until it is " + staleLimit.toMillis() + " ms old");
            } else {
                log.debug("pipeline {}: totals store still unreadable ({})", pipeline, e.getClass().getSimpleName());
            }
            lastFailure = e;
            lastFailureNanos = failedAt;
            throw unavailable(e);
        }
    }

    private static RedisUnavailableException unavailable(RuntimeException cause) {
        return cause instanceof RedisUnavailableException redis ? redis
                : new RedisUnavailableException("totals store unavailable", cause);
    }

    private double ageSeconds() {
        CachedPage snapshot = current;
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

    private Timer readTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("sluice.totals.snapshot.reads")
                .description("Reads of the first page of groups from the totals store")
                .tag("pipeline", pipeline)
                .tag("outcome", outcome)
                .register(registry);
    }
}
