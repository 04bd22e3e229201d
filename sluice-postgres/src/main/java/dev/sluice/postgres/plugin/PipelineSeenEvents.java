package dev.sluice.postgres.plugin;

import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.dedupe.SeenEvents;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** One pipeline's events in a store shared by several: its keys carry the pipeline's name first. */
final class PipelineSeenEvents implements SeenEvents {

    private final String prefix;
    private final SeenEvents store;

    PipelineSeenEvents(String pipeline, SeenEvents store) {
        this.prefix = pipeline + "/";
        this.store = store;
    }

    @Override
    public Set<String> recorded(Collection<String> keys) throws Exception {
        return store.recorded(keys.stream().map(key -> prefix + key).toList()).stream()
                .map(key -> key.substring(prefix.length())).collect(Collectors.toSet());
    }

    @Override
    public void record(Collection<SeenEvent> events, Instant now) throws Exception {
        store.record(prefixed(events), now);
    }

    private List<SeenEvent> prefixed(Collection<SeenEvent> events) {
        return events.stream().map(e -> new SeenEvent(prefix + e.key(), e.eventTime())).toList();
    }

    /** Forgets every pipeline's old events: the dedupes of one store keep the same horizon. */
    @Override
    public long forgetBefore(Instant cutoff) throws Exception {
        return store.forgetBefore(cutoff);
    }

    @Override
    public void record(Collection<SeenEvent> events, Instant now, String object) throws Exception {
        store.record(prefixed(events), now, prefix + object);
    }

    @Override
    public void storing(String object) throws Exception {
        store.storing(prefix + object);
    }

    @Override
    public void settled(String object) throws Exception {
        store.settled(prefix + object);
    }

    /** This pipeline's objects only: another's rows are its own to settle. */
    @Override
    public Set<String> unsettled() throws Exception {
        return store.unsettled().stream().filter(object -> object.startsWith(prefix))
                .map(object -> object.substring(prefix.length())).collect(Collectors.toSet());
    }

    @Override
    public void forEachSince(Instant since, Consumer<SeenEvent> action) throws Exception {
        store.forEachSince(since, event -> {
            if (event.key().startsWith(prefix)) {
                action.accept(new SeenEvent(event.key().substring(prefix.length()), event.eventTime()));
            }
        });
    }
}
