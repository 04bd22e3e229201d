package dev.sluice.core.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CheckpointStore} in memory, monotonic like the real ones; {@link #lose} forgets a stream's checkpoints. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, Map<String, Checkpoint>> streams = new ConcurrentHashMap<>();
    private final List<Checkpoint> saved = new ArrayList<>();

    @Override
    public Map<String, Checkpoint> load(String stream) {
        return Map.copyOf(streams.getOrDefault(stream, Map.of()));
    }

    @Override
    public synchronized void save(String stream, Collection<Checkpoint> checkpoints) {
        Map<String, Checkpoint> shards = streams.computeIfAbsent(stream, s -> new ConcurrentHashMap<>());
        for (Checkpoint checkpoint : checkpoints) {
            shards.merge(checkpoint.shardId(), checkpoint, (stored, next) -> next.isAtLeast(stored) ? next : stored);
            saved.add(checkpoint);
        }
    }

    /** Every checkpoint saved so far, in order, whether it moved the stored one or not. */
    public synchronized List<Checkpoint> saved() {
        return List.copyOf(saved);
    }

    /** Forgets every checkpoint of {@code stream}, as a lost or reset checkpoint table would. */
    public void lose(String stream) {
        streams.remove(stream);
    }
}
