package dev.sluice.core.plugin;

import java.util.Objects;

/**
 * Something a plugin of one module needs from another module without depending on it: the Kinesis source keeps its
 * checkpoints in a {@code CheckpointStore}, and the Postgres module offers one named {@code postgres}. The setting
 * that chooses it is a name ({@code checkpoints: postgres}); {@link PluginContext#service} opens it once per process.
 *
 * <pre>{@code
 * new Service<>(CheckpointStore.class, "postgres", new SharedResource<>("postgres checkpoints",
 *         context -> PostgresCheckpointStore.open(context.shared(PostgresResources.DATABASE))));
 * }</pre>
 *
 * @param type     what it is (the interface the needing plugin uses)
 * @param name     what users write to choose it
 * @param resource opens it, once per process
 */
public record Service<T>(Class<T> type, String name, SharedResource<T> resource) {
    public Service {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resource, "resource");
    }
}
