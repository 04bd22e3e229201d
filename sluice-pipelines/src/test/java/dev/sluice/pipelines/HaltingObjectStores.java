package dev.sluice.pipelines;

import dev.sluice.core.files.ObjectStore;
import dev.sluice.core.files.ObjectStores;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tests' {@code halting_s3} object store for the {@code files} sink: the {@code s3} service's store, halting the JVM
 * (status {@link HaltingWorker#HALT_STATUS}, as SIGKILL would leave it) right after the put that the environment
 * variable {@value #PUTS_VARIABLE} numbers (default 1) returned, so that file is stored and nothing after the put
 * happened: its events are not recorded, its messages not acknowledged. Chosen in a worker's YAML with
 * {@code sink: {store: halting_s3}}.
 */
public final class HaltingObjectStores implements PluginProvider {
    /** The environment variable with the number of the put after which the JVM halts. */
    public static final String PUTS_VARIABLE = "SLUICE_TEST_HALT_AFTER_PUTS";

    private static final SharedResource<ObjectStores> HALTING = new SharedResource<>("halting s3", context -> {
        ObjectStores s3 = context.service(ObjectStores.class, "s3", "store");
        AtomicInteger puts = new AtomicInteger();
        int haltAfter = Integer.parseInt(System.getenv().getOrDefault(PUTS_VARIABLE, "1"));
        return bucket -> new Halting(s3.forBucket(bucket), puts, haltAfter);
    });

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of();
    }

    @Override
    public List<Service<?>> services() {
        return List.of(new Service<>(ObjectStores.class, "halting_s3", HALTING));
    }

    /** One bucket's store; the put count is the process's, over every bucket. */
    private record Halting(ObjectStore store, AtomicInteger puts, int haltAfter) implements ObjectStore {
        @Override
        public void put(Path file, String key, String contentType, Map<String, String> metadata) throws Exception {
            store.put(file, key, contentType, metadata);
            if (puts.incrementAndGet() == haltAfter) {
                Runtime.getRuntime().halt(HaltingWorker.HALT_STATUS);
            }
        }

        @Override
        public void delete(String key) throws Exception {
            store.delete(key);
        }
    }
}
