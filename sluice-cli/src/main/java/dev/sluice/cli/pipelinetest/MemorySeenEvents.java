package dev.sluice.cli.pipelinetest;

import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.dedupe.SeenEvents;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The seen-events store a dedupe step gets in a pipeline test, in place of the database one: empty at the start of
 * each case, so a case sees copies of its own events only, and nothing is reached.
 */
final class MemorySeenEvents implements SeenEvents {

    private final Map<String, SeenEvent> seen = new ConcurrentHashMap<>();

    @Override
    public Set<String> recorded(Collection<String> keys) {
        return keys.stream().filter(seen::containsKey).collect(Collectors.toSet());
    }

    @Override
    public void record(Collection<SeenEvent> events, Instant now) {
        events.forEach(event -> seen.putIfAbsent(event.key(), event));
    }

    @Override
    public long forgetBefore(Instant cutoff) {
        return 0;
    }

    @Override
    public void forEachSince(Instant since, Consumer<SeenEvent> action) {
        seen.values().forEach(action);
    }
}
