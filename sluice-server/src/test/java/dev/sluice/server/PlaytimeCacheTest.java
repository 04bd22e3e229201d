package dev.sluice.server;

import dev.sluice.redis.PlaytimeSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cache's concurrency rules with a source the test controls (a read that blocks until released, a read that
 * fails), which a real Redis cannot be made to do on cue; the API tests cover the same cache over real Redis.
 */
class PlaytimeCacheTest {

    private static final Duration LONG = Duration.ofMinutes(10);

    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Source source = new Source();
    private final List<PlaytimeCache> caches = new ArrayList<>();

    @AfterEach
    void stop() {
        source.release();
        caches.forEach(PlaytimeCache::close);
        requests.shutdownNow();
    }

    private PlaytimeCache cache(Duration maxAge, Duration staleLimit) {
        PlaytimeCache cache = new PlaytimeCache(source, maxAge, staleLimit);
        caches.add(cache);
        return cache;
    }

    @Test
    void theFirstRequestsAllWaitForOneRead() throws Exception {
        PlaytimeCache cache = cache(LONG, LONG);
        source.blockFrom(1);

        List<CompletableFuture<CachedSnapshot>> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.add(CompletableFuture.supplyAsync(cache::get, requests));
        }
        await().until(source.started::get, started -> started == 1);
        assertThat(first).noneMatch(CompletableFuture::isDone);

        source.release();
        CachedSnapshot served = first.getFirst().get(10, TimeUnit.SECONDS);
        for (CompletableFuture<CachedSnapshot> request : first) {
            assertThat(request.get(10, TimeUnit.SECONDS)).isSameAs(served);
        }
        assertThat(source.started).hasValue(1);
        assertThat(served.snapshot().total()).isEqualTo(1);
    }

    @Test
    void whileTheRefresherReadsRequestsServeThePreviousSnapshotWithoutWaiting() {
        PlaytimeCache cache = cache(Duration.ofMillis(1), LONG);
        source.blockFrom(2);
        CachedSnapshot previous = cache.get();

        // The refresher's read is held; no request waits for it or reads itself.
        await().until(source.started::get, started -> started == 2);
        for (int i = 0; i < 20; i++) {
            assertThat(cache.get()).isSameAs(previous);
        }
        assertThat(source.started).hasValue(2);

        source.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.get().snapshot().total() >= 2);
    }

    @Test
    void whileTheSourceFailsTheLastSnapshotIsServedUntilTheStaleLimitThenItIsUnavailable() {
        PlaytimeCache cache = cache(Duration.ofMillis(1), Duration.ofMillis(300));
        CachedSnapshot last = cache.get();
        source.failing.set(new IllegalStateException("store down"));

        // The refresher's reads fail: requests still get the last snapshot.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cache.get()).isSameAs(last);
            assertThat(source.started.get()).isGreaterThan(1);
        });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(cache::get)
                        .isInstanceOf(PlaytimeUnavailableException.class)
                        .hasRootCauseMessage("store down"));

        source.failing.set(null);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> cache.get().snapshot().total() > 1);
    }

    @Test
    void refusesAStaleLimitBelowTheMaxAge() {
        assertThatThrownBy(() -> cache(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staleLimit");
        assertThatThrownBy(() -> cache(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge");
    }

    /** Snapshots whose total counts the reads; reads from the n-th on can be held until released, or fail. */
    private static final class Source implements Supplier<PlaytimeSnapshot> {
        final AtomicInteger started = new AtomicInteger();
        final AtomicReference<RuntimeException> failing = new AtomicReference<>();
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile int blockFrom = Integer.MAX_VALUE;

        void blockFrom(int read) {
            blockFrom = read;
        }

        void release() {
            gate.countDown();
        }

        @Override
        public PlaytimeSnapshot get() {
            int read = started.incrementAndGet();
            try {
                if (read >= blockFrom && !gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            RuntimeException failure = failing.get();
            if (failure != null) {
                throw failure;
            }
            return new PlaytimeSnapshot(new TreeMap<>(Map.of("user_1", Map.of("battle", (long) read))), read);
        }
    }
}
