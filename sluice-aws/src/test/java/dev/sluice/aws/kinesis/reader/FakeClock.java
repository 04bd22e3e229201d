package dev.sluice.aws.kinesis.reader;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Time that passes only when a reader sleeps: the sleeps are recorded and move the clock. */
final class FakeClock implements InstantSource, Sleeper {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private volatile Instant now = START;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    Duration elapsed() {
        return Duration.between(START, now);
    }
}
