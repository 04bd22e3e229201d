package dev.sluice.bench;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.Source;

import java.util.Arrays;
import java.util.List;

/**
 * A {@link Source} that records, for every message it acknowledges, the time from the producer's send (SQS
 * SentTimestamp, {@link Message#sentAt()}) to the return of the delete that acknowledged it: the end-to-end
 * latency of the pipeline, exactly, over a window the benchmark chooses with {@link #reset()}. The engine's own
 * {@code sluice.latency.end_to_end} timer cannot be reset, so it would mix in the drain phase's backlog.
 */
final class LatencyRecordingSource extends ForwardingSource {
    private long[] millis = new long[1 << 16];
    private int count;

    LatencyRecordingSource(Source delegate) {
        super(delegate);
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
        super.acknowledge(messages);
        record(System.currentTimeMillis(), messages);
    }
}
