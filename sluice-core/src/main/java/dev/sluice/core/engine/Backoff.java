package dev.sluice.core.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: attempt {@code n} waits a random time between half and all of
 * {@code min(max, initial * 2^n)}. Half is kept fixed so a retry storm never collapses to zero delay; the random
 * half spreads instances that failed together.
 *
 * @param initial delay before the first retry
 * @param max     cap on any single delay
 */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max (" + max + ") must not be below initial (" + initial + ")");
        }
    }

    /** The delay before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    long ceilingMillis(int attempt) {
        long cap = max.toMillis();
        long base = initial.toMillis();
        // Shifting past 62 bits overflows; by then the cap has long been reached.
        int shift = Math.min(Math.max(attempt, 0), 62);
        long grown = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        return Math.min(cap, grown);
    }
}
