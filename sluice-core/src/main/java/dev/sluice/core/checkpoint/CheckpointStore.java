package dev.sluice.core.checkpoint;

import java.util.Collection;
import java.util.Map;

/**
 * Where a stream source keeps its per-shard {@link Checkpoint}s, so a restart resumes after what is durable
 * (DESIGN.md §2: a Kinesis checkpoint is the stream's acknowledgement). A store is monotonic: saving a checkpoint
 * behind the stored one (a late, batched or repeated write) leaves the stored one as it is.
 *
 * <pre>{@code
 * CheckpointStore store = new PostgresCheckpointStore(dataSource);
 * Map<String, Checkpoint> byShard = store.load("product-events");
 * store.save("product-events", List.of(new Checkpoint("shardId-000000000000", "4968...", false)));
 * }</pre>
 */
public interface CheckpointStore {

    /**
     * The stored checkpoints of {@code stream}, by shard id; empty when it has none.
     *
     * @throws Exception when the store cannot be read; the source does not start without its checkpoints
     */
    Map<String, Checkpoint> load(String stream) throws Exception;

    /**
     * Stores {@code checkpoints} of {@code stream}, each unless the stored one is further.
     *
     * @throws Exception when they were not stored; the source tries again with the latest ones
     */
    void save(String stream, Collection<Checkpoint> checkpoints) throws Exception;
}
