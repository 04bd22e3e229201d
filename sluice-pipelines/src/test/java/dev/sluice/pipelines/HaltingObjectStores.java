package dev.sluice.pipelines;

import dev.sluice.aws.AwsResources;
import dev.sluice.aws.s3.S3ObjectStores;
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
 * Tests' {@code halting_s3} object store for the {@code files} sink: the {@code s3} one, halting the JVM (status
 * {@link HaltingWorker#HALT_STATUS}, as SIGKILL would leave it) right after its put number
 * {@value #PUTS_VARIABLE} returned, so that file is stored and nothing after the put happened: its events are not
 * recorded, its messages not acknowledged. Chosen in a worker's YAML with {@code sink: {store: halting_s3}}.
 */
public final class HaltingObjectStores implements PluginProvider {
    /** The environment variable with the number of the put after which the JVM halts (default 1). */
    public static final String PUTS_VARIABLE = "SLUICE_TEST_HALT_AFTER_PUTS";

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of();
    }

    @Override
    public List<Service<?>> services() {
        return List.of(new Service<>(ObjectStores.class, "halting_s3", new SharedResource<>("halting s3",
                context -> {
                    S3ObjectStores s3 = new S3ObjectStores(context.shared(AwsResources.S3));
                    int haltAfter = Integer.parseInt(System.getenv().getOrDefault(PUTS_VARIABLE, "1"));
                    AtomicInteger puts = new AtomicInteger();
                    return bucket -> {
                        ObjectStore store = s3.forBucket(bucket);
                        return new ObjectStore() {
                            @Override
                            public void put(Path file, String key, String contentType, Map<String, String> metadata)
                                    throws Exception {
                                store.put(file, key, contentType, metadata);
                                if (puts.incrementAndGet() == haltAfter) {
                                    Runtime.getRuntime().halt(HaltingWorker.HALT_STATUS);
                                }
                            }

                            @Override
                            public void delete(String key) throws Exception {
                                store.delete(key);
                            }
                        };
                    };
                })));
    }
}
