package dev.sluice.core.dedupe;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** {@link SeenEvents} in a map, for unit tests of the sink's logic; can fail a given number of calls to record. */
final class InMemorySeenEvents implements SeenEvents {
    /** A recorded event and the time it is remembered from. */
    record Row(Instant eventTime, Instant rememberFrom) {
    }

    final Map<String, Row> rows = new ConcurrentHashMap<>();
    final AtomicInteger recordFailures = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicBoolean permanentFailure = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public Set<String> recorded(Collection<String> keys) {
        return keys.stream().filter(rows::containsKey).collect(Collectors.toSet());
    }

    @Override
    public void record(Collection<SeenEvent> events, Instant now) throws Exception {
        if (permanentFailure.get()) {
            throw new dev.sluice.core.engine.PermanentFailureException("lake_seen: value too long");
        }
        if (recordFailures.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
            throw new Exception("database down");
        }
        events.forEach(e -> rows.putIfAbsent(e.key(),
                new Row(e.eventTime(), e.eventTime().isAfter(now) ? e.eventTime() : now)));
    }

    /** The ledger of files being stored: their names. */
    final Set<String> ledger = ConcurrentHashMap.newKeySet();
    final AtomicInteger unsettledFailures = new AtomicInteger();

    @Override
    public void storing(String object) {
        ledger.add(object);
    }

    /** Both or neither, as in one transaction. */
    @Override
    public void record(Collection<SeenEvent> events, Instant now, String object) throws Exception {
        record(events, now);
        ledger.remove(object);
    }

    @Override
    public void settled(String object) {
        ledger.remove(object);
    }

    @Override
    public Set<String> unsettled() throws Exception {
        if (unsettledFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new Exception("database down");
        }
        return Set.copyOf(ledger);
    }

    @Override
    public long forgetBefore(Instant cutoff) {
        long before = rows.size();
        rows.values().removeIf(r -> r.rememberFrom().isBefore(cutoff));
        return before - rows.size();
    }

    @Override
    public void forEachSince(Instant since, Consumer<SeenEvent> action) {
        rows.forEach((k, r) -> {
            if (!r.rememberFrom().isBefore(since)) {
                action.accept(new SeenEvent(k, r.eventTime()));
            }
        });
    }
}
