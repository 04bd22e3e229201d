package dev.sluice.core.files;

import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code memory} object store service for the {@code files} sink's pipeline tests: one store per bucket. */
public final class FilesTestPlugins implements PluginProvider {

    public static final Map<String, MemoryObjectStore> BUCKETS = new ConcurrentHashMap<>();

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of();
    }

    @Override
    public List<Service<?>> services() {
        return List.of(new Service<>(ObjectStores.class, "memory", new SharedResource<>("memory object store",
                context -> bucket -> BUCKETS.computeIfAbsent(bucket, name -> new MemoryObjectStore()))));
    }
}
