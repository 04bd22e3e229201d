package dev.sluice.bench;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Source;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Source} that records, for every message it acknowledges, the time from the producer's send (SQS
 * SentTimestamp, {@link Message#sentAt()}) to the return of the delete that acknowledged it: the end-to-end
 * latency of the pipeline, exactly, over a window the benchmark chooses with {@link #reset()}. The engine's own
 * {@code sluice.latency.end_to_end} timer cannot be reset, so it would mix in the drain phase's backlog.
 */
final class LatencyRecordingSource implements Source {
    private final Source delegate;
    private long[] millis = new long[1 << 16];
    private int count;

    LatencyRecordingSource(Source delegate) {
        this.delegate = delegate;
    }

    /** Forgets what was recorded so far. */
    synchronized void reset() {
        count = 0;
    }

    /** {@code count=… p50_ms=… p99_ms=… max_ms=…} over the messages acknowledged since {@link #reset()}. */
    synchronized String report() {
        long[] sorted = Arrays.copyOf(millis, count);
        Arrays.sort(sorted);
        return "count=" + count + " p50_ms=" + percentile(sorted, 0.50) + " p99_ms=" + percentile(sorted, 0.99)
                + " max_ms=" + (count == 0 ? 0 : sorted[count - 1]);
    }

    /** Nearest-rank percentile. */
    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(p * sorted.length) - 1];
    }

    private synchronized void record(long now, List<Message> messages) {
        if (count + messages.size() > millis.length) {
            millis = Arrays.copyOf(millis, Math.max(millis.length * 2, count + messages.size()));
        }
        for (Message m : messages) {
            millis[count++] = now - m.sentAt().toEpochMilli();
        }
    }

    @Override
    public void acknowledge(List<Message> messages) throws Exception {
        delegate.acknowledge(messages);
        record(System.currentTimeMillis(), messages);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<Message> poll(int max) throws Exception {
        return delegate.poll(max);
    }

    @Override
    public int maxPerPoll() {
        return delegate.maxPerPoll();
    }

    @Override
    public void extendClaim(List<Message> messages, Duration extension) throws Exception {
        delegate.extendClaim(messages, extension);
    }

    @Override
    public Duration claimTimeout() {
        return delegate.claimTimeout();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
