package dev.sluice.aws.kinesis.reader;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Keeps one shard's GetRecords calls at least {@code interval} apart. Kinesis allows 5 GetRecords per second per
 * shard, shared by every consumer of the stream; 200 ms apart is exactly that limit for one consumer.
 */
public final class GetRecordsPacer {

    /** The fastest pace Kinesis allows one shard: 5 calls per second. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(200);

    private final Duration interval;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private Instant last;

    public GetRecordsPacer(Duration interval, InstantSource clock, Sleeper sleeper) {
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("GetRecords interval must be at least " + MIN_INTERVAL.toMillis()
                    + " ms (Kinesis allows 5 calls per second per shard), was " + interval.toMillis() + " ms");
        }
        this.interval = interval;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits until the next call is allowed, and counts it as made now. */
    public void awaitTurn() throws InterruptedException {
        if (last != null) {
            Duration wait = Duration.between(clock.instant(), last.plus(interval));
            if (wait.isPositive()) {
                sleeper.sleep(wait);
            }
        }
        last = clock.instant();
    }
}
