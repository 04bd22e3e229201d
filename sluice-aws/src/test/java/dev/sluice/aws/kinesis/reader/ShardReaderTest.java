package dev.sluice.aws.kinesis.reader;

import static dev.sluice.aws.kinesis.reader.ScriptedProxy.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.aws.kinesis.proxy.IteratorPosition;
import dev.sluice.aws.kinesis.proxy.RecordBatch;
import dev.sluice.aws.kinesis.proxy.StreamRecord;
import dev.sluice.core.engine.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

class ShardReaderTest {

    private static final Duration INTERVAL = GetRecordsPacer.MIN_INTERVAL;
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(400), Duration.ofSeconds(1));

    private final FakeClock clock = new FakeClock();

    private ShardReader reader(ScriptedProxy proxy, ShardBuffer buffer) {
        return new ShardReader("events", "shard-0", proxy, buffer, 100, new GetRecordsPacer(INTERVAL, clock, clock),
                BACKOFF, clock, clock);
    }

    /** Runs {@code reader} on a thread of its own until {@code condition} holds, then stops it. */
    private static void runUntil(ShardReader reader, Callable<Boolean> condition) {
        Thread thread = Thread.ofVirtual().start(reader);
        try {
            await().until(condition);
        } finally {
            reader.stop();
            thread.interrupt();
        }
    }

    @Test
    void neverMoreThanFiveGetRecordsPerSecond() {
        AtomicReference<ShardReader> running = new AtomicReference<>();
        Duration window = Duration.ofSeconds(10);
        List<Duration> callTimes = new ArrayList<>();
        ScriptedProxy proxy = new ScriptedProxy(iterator -> {
            if (clock.elapsed().compareTo(window) >= 0) {
                running.get().stop();
            } else {
                callTimes.add(clock.elapsed());
            }
            return new RecordBatch(List.of(), iterator + "+", 0);
        });
        ShardReader reader = reader(proxy, new ShardBuffer(10, new IteratorPosition.TrimHorizon(), () -> { }));
        running.set(reader);

        reader.run();

        long allowed = window.toMillis() / INTERVAL.toMillis();
        assertThat(callTimes).hasSize((int) allowed);
        for (int i = 1; i < callTimes.size(); i++) {
            assertThat(callTimes.get(i).minus(callTimes.get(i - 1))).isGreaterThanOrEqualTo(INTERVAL);
        }
    }

    @Test
    void throughputErrorsBackOffExponentiallyAndTheReadGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        ScriptedProxy proxy = new ScriptedProxy(iterator -> switch (calls.incrementAndGet()) {
            case 1, 2 -> throw ProvisionedThroughputExceededException.builder().message("slow down").build();
            case 3 -> throw LimitExceededException.builder().message("account limit").build();
            default -> new RecordBatch(List.of(record("1")), null, 0);
        });
        ShardBuffer buffer = new ShardBuffer(10, new IteratorPosition.TrimHorizon(), () -> { });
        ShardReader reader = reader(proxy, buffer);
        runUntil(reader, () -> buffer.size() == 1);

        assertThat(clock.sleeps).hasSize(3);
        for (int attempt = 0; attempt < 3; attempt++) {
            long ceiling = Math.min(BACKOFF.max().toMillis(), BACKOFF.initial().toMillis() << attempt);
            assertThat(clock.sleeps.get(attempt).toMillis()).as("backoff before retry " + attempt)
                    .isBetween(ceiling / 2, ceiling);
        }
        assertThat(buffer.take(10, r -> { })).extracting(StreamRecord::sequenceNumber).containsExactly("1");
    }

    @Test
    void anExpiredIteratorIsReplacedAfterTheLastRecordRead() {
        ScriptedProxy proxy = new ScriptedProxy(iterator -> switch (iterator) {
            case "iterator-1" -> new RecordBatch(List.of(record("5")), "iterator-1-next", 10);
            case "iterator-1-next" -> throw ExpiredIteratorException.builder().message("expired").build();
            default -> new RecordBatch(List.of(record("6")), null, 0);
        });
        ShardBuffer buffer = new ShardBuffer(10, new IteratorPosition.TrimHorizon(), () -> { });
        ShardReader reader = reader(proxy, buffer);
        runUntil(reader, () -> buffer.drainedToEnd(() -> true) || buffer.size() == 2);

        assertThat(proxy.iteratorsAskedFor).containsExactly(new IteratorPosition.TrimHorizon(),
                new IteratorPosition.AfterSequence("5"));
        assertThat(buffer.take(10, r -> { })).extracting(StreamRecord::sequenceNumber).containsExactly("5", "6");
        assertThat(reader.millisBehindLatest()).contains(0L);
    }

    /** An outage longer than an iterator's 5 minutes, before the first record: what was put meanwhile is read. */
    @Test
    void aLatestIteratorThatExpiresBeforeAnyRecordResumesFromWhenReadingBegan() {
        ScriptedProxy proxy = new ScriptedProxy(iterator -> switch (iterator) {
            case "iterator-1" -> new RecordBatch(List.of(), "iterator-1-next", 0);
            case "iterator-1-next" -> throw ExpiredIteratorException.builder().message("expired").build();
            default -> new RecordBatch(List.of(record("7")), null, 0);
        });
        ShardBuffer buffer = new ShardBuffer(10, new IteratorPosition.Latest(), () -> { });
        ShardReader reader = reader(proxy, buffer);
        runUntil(reader, () -> buffer.size() == 1);

        assertThat(proxy.iteratorsAskedFor).containsExactly(new IteratorPosition.Latest(),
                new IteratorPosition.AtTimestamp(FakeClock.START));
        assertThat(buffer.take(10, r -> { })).extracting(StreamRecord::sequenceNumber).containsExactly("7");
    }

    @Test
    void aRewindAfterTheEndReadsTheShardAgainFromTheReleasedRecord() {
        ScriptedProxy proxy = new ScriptedProxy(iterator -> iterator.equals("iterator-1")
                ? new RecordBatch(List.of(record("1"), record("2")), null, 0)
                : new RecordBatch(List.of(record("2")), null, 0));
        ShardBuffer buffer = new ShardBuffer(10, new IteratorPosition.TrimHorizon(), () -> { });
        ShardReader reader = reader(proxy, buffer);
        Thread thread = Thread.ofVirtual().start(reader);
        List<String> handedOut = new ArrayList<>();
        try {
            await().until(() -> buffer.size() == 2);
            buffer.take(10, r -> handedOut.add(r.sequenceNumber()));
            await().until(() -> buffer.drainedToEnd(() -> true));

            buffer.rewind("2");

            await().until(() -> buffer.size() == 1);
            buffer.take(10, r -> handedOut.add(r.sequenceNumber()));
            await().until(() -> buffer.drainedToEnd(() -> true));
        } finally {
            reader.stop();
            thread.interrupt();
        }

        assertThat(proxy.iteratorsAskedFor).containsExactly(new IteratorPosition.TrimHorizon(),
                new IteratorPosition.AtSequence("2"));
        assertThat(handedOut).containsExactly("1", "2", "2");
    }
}
