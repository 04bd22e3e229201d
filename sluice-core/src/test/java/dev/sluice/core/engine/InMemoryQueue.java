package dev.sluice.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Source} for unit tests of the engine: a queue with claims that never expire on their own (so tests are
 * deterministic), explicit release through {@code extendClaim(…, ZERO)}, and counters of what the runner did.
 */
public final class InMemoryQueue implements Source {
    private final String name;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<String> acknowledged = new ArrayList<>();
    private final AtomicInteger extensions = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private final Duration claimTimeout;
    private volatile boolean closed;

    private static final class Entry {
        final String id;
        final String body;
        int receiveCount;
        boolean claimed;

        Entry(String id, String body) {
            this.id = id;
            this.body = body;
        }
    }

    public InMemoryQueue(String name, Duration claimTimeout) {
        this.name = name;
        this.claimTimeout = claimTimeout;
    }

    public synchronized String send(String body) {
        String id = UUID.randomUUID().toString();
        entries.put(id, new Entry(id, body));
        notifyAll();
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized List<Message> poll(int max) throws InterruptedException {
        List<Message> out = claimUpTo(max);
        if (out.isEmpty()) {
            wait(50);
            out = claimUpTo(max);
        }
        return out;
    }

    private List<Message> claimUpTo(int max) {
        List<Message> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (out.size() == max) {
                break;
            }
            if (!e.claimed) {
                e.claimed = true;
                e.receiveCount++;
                out.add(new Message(e.body, new SourceCoordinates.Queue(name, e.id, e.receiveCount), Instant.now(),
                        e.id + "#" + e.receiveCount));
            }
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(List<Message> messages) {
        for (Message m : messages) {
            String id = ((SourceCoordinates.Queue) m.coordinates()).messageId();
            if (entries.remove(id) != null) {
                acknowledged.add(id);
            }
        }
    }

    @Override
    public synchronized void extendClaim(List<Message> messages, Duration extension) {
        if (!extension.isZero()) {
            extensions.addAndGet(messages.size());
            return;
        }
        for (Message m : messages) {
            Entry e = entries.get(((SourceCoordinates.Queue) m.coordinates()).messageId());
            if (e != null) {
                e.claimed = false;
                releases.incrementAndGet();
            }
        }
        notifyAll();
    }

    @Override
    public Duration claimTimeout() {
        return claimTimeout;
    }

    @Override
    public void close() {
        closed = true;
    }

    public synchronized int remaining() {
        return entries.size();
    }

    public synchronized List<String> acknowledgedIds() {
        return List.copyOf(acknowledged);
    }

    public int extensions() {
        return extensions.get();
    }

    public int releases() {
        return releases.get();
    }

    public boolean isClosed() {
        return closed;
    }
}
