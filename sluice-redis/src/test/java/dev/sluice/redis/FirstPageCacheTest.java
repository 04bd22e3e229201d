package dev.sluice.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cache's concurrency rules with a source the test controls (a read that blocks until released, a read that
 * fails), which a real Redis cannot be made to do on cue; the API tests cover the same cache over real Redis.
 */
class FirstPageCacheTest {

    private static final Duration LONG = Duration.ofMinutes(10);

    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Source source = new Source();
    private final List<FirstPageCache> caches = new ArrayList<>();

    @AfterEach
    void stop() {
        source.release();
        caches.forEach(FirstPageCache::close);
        requests.shutdownNow();
    }

    private FirstPageCache cache(Duration maxAge, Duration staleLimit) {
        FirstPageCache cache = new FirstPageCache("playtime", source, page -> ("{\"total\":" + page.total() + "}")
                .getBytes(StandardCharsets.UTF_8), maxAge, staleLimit);
        caches.add(cache);
        return cache;
    }

    @Test
    void theFirstRequestsAllWaitForOneRead() throws Exception {
        FirstPageCache cache = cache(LONG, LONG);
        source.allowUpTo(0);

        List<CompletableFuture<CachedPage>> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.add(CompletableFuture.supplyAsync(cache::get, requests));
        }
        await().until(source.started::get, started -> started == 1);
        assertThat(first).noneMatch(CompletableFuture::isDone);

        source.release();
        CachedPage served = first.getFirst().get(10, TimeUnit.SECONDS);
        for (CompletableFuture<CachedPage> request : first) {
            assertThat(request.get(10, TimeUnit.SECONDS)).isSameAs(served);
        }
        assertThat(source.started).hasValue(1);
        assertThat(served.page().total()).isEqualTo(1);
    }

    @Test
    void whileTheRefresherReadsRequestsServeThePreviousSnapshotWithoutWaiting() {
        FirstPageCache cache = cache(Duration.ofMillis(1), LONG);
        source.allowUpTo(1);
        CachedPage previous = cache.get();

        // The refresher's read is held; no request waits for it or reads itself.
        await().until(source.started::get, started -> started == 2);
        for (int i = 0; i < 20; i++) {
            assertThat(cache.get()).isSameAs(previous);
        }
        assertThat(source.started).hasValue(2);

        source.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.get().page().total() >= 2);
    }

    @Test
    void whileTheSourceFailsTheLastSnapshotIsServedUntilTheStaleLimitThenItIsUnavailable() {
        FirstPageCache cache = cache(Duration.ofMillis(1), Duration.ofSeconds(2));
        CachedPage last = cache.get();
        source.failing.set(new IllegalStateException("store down"));

        // The refresher's reads fail: requests still get the last snapshot.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cache.get()).isSameAs(last);
            assertThat(source.started.get()).isGreaterThan(1);
        });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(cache::get)
                        .isInstanceOf(RedisUnavailableException.class)
                        .hasRootCauseMessage("store down"));

        source.failing.set(null);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> cache.get().page().total() > 1);
    }

    @Test
    void whileClientsAskForGzipTheRefresherCompressesTheNextSnapshotItself() throws Exception {
        FirstPageCache cache = cache(Duration.ofMillis(1), LONG);
        source.allowUpTo(2);
        CachedPage plain = cache.get();
        // The refresher's first read; its second is held, so this one stays current.
        CachedPage asked = await().until(cache::get, snapshot -> snapshot != plain);
        assertThat(asked.compressed()).isFalse();

        byte[] gzipped = asked.gzipped();
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gzipped)).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(new String(asked.json(), StandardCharsets.UTF_8));

        source.allowUpTo(3);
        CachedPage next = await().until(cache::get, snapshot -> snapshot != asked);
        assertThat(next.compressed()).as("compressed by the refresher, before any request asked").isTrue();
        assertThat(next.gzipAsked()).isFalse();

        // Nobody asked for the gzip form of that one: the refresher stops compressing.
        source.allowUpTo(4);
        CachedPage after = await().until(cache::get, snapshot -> snapshot != next);
        assertThat(after.compressed()).isFalse();
    }

    @Test
    void refusesAStaleLimitBelowTheMaxAge() {
        assertThatThrownBy(() -> cache(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staleLimit");
        assertThatThrownBy(() -> cache(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge");
    }

    /** Snapshots whose total counts the reads; reads numbered above a limit wait until it is raised, or fail. */
    private static final class Source implements Supplier<UsersPage> {
        final AtomicInteger started = new AtomicInteger();
        final AtomicReference<RuntimeException> failing = new AtomicReference<>();
        private int allowed = Integer.MAX_VALUE; // guarded by this

        /** Reads numbered above {@code read} wait. */
        synchronized void allowUpTo(int read) {
            allowed = read;
            notifyAll();
        }

        void release() {
            allowUpTo(Integer.MAX_VALUE);
        }

        @Override
        public UsersPage get() {
            int read = started.incrementAndGet();
            synchronized (this) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (read > allowed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("never released");
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
            RuntimeException failure = failing.get();
            if (failure != null) {
                throw failure;
            }
            return new UsersPage(new TreeMap<>(Map.of("user_1", Map.of("battle", (long) read))), read, Optional.empty());
        }
    }
}
