package dev.sluice.aws.plugin;

import dev.sluice.aws.AwsResources;
import dev.sluice.aws.s3.S3NotificationsPlugin;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.checkpoint.InMemoryCheckpointStore;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.engine.Sink;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the AWS sources' tests put around them: sinks that collect what reached them (per pipeline), an error sink
 * that collects rejects, and an in-memory checkpoint store offered as the service {@code memory}.
 */
public final class AwsTestPlugins implements PluginProvider {

    public static final Map<String, List<Event>> WRITTEN = new ConcurrentHashMap<>();
    public static final Map<String, List<Rejected>> REJECTED = new ConcurrentHashMap<>();
    /** A {@code hold: true} sink of pipeline NAME waits here after it recorded a batch. */
    public static final Map<String, CountDownLatch> HOLDS = new ConcurrentHashMap<>();
    /** The {@code object_sizes} sink's findings: bucket/key → the size the shared S3 client reads for it. */
    public static final Map<String, Long> OBJECT_SIZES = new ConcurrentHashMap<>();
    public static final InMemoryCheckpointStore CHECKPOINTS = new InMemoryCheckpointStore();

    /**
     * @param hold           after recording a batch, wait for {@link #HOLDS} of the pipeline before returning
     * @param failFirstWrite record, then fail permanently the first write of each natural key
     */
    public record CollectSettings(Boolean hold, Boolean failFirstWrite) {
        public CollectSettings {
            hold = hold != null && hold;
            failFirstWrite = failFirstWrite != null && failFirstWrite;
        }
    }

    public record NoSettings() {
    }

    /** Forgets what the last test collected. */
    public static void forget() {
        WRITTEN.clear();
        REJECTED.clear();
        HOLDS.clear();
        OBJECT_SIZES.clear();
    }

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(
                Plugin.sink("collect", CollectSettings.class, "collects events", (settings, context) -> {
                    List<Event> written = WRITTEN.computeIfAbsent(context.pipeline(),
                            name -> new CopyOnWriteArrayList<>());
                    Set<String> failed = ConcurrentHashMap.newKeySet();
                    Sink<Event> sink = deliveries -> {
                        deliveries.forEach(delivery -> written.add(delivery.value()));
                        if (settings.hold()) {
                            HOLDS.computeIfAbsent(context.pipeline(), name -> new CountDownLatch(1)).await();
                        }
                        if (settings.failFirstWrite() && deliveries.stream()
                                .anyMatch(delivery -> failed.add(delivery.source().coordinates().naturalKey()))) {
                            throw new PermanentFailureException("the first write of a message fails (test)");
                        }
                    };
                    return new Plugin.SinkPart(sink, false);
                }),
                Plugin.sink("object_sizes", NoSettings.class, "reads the notified objects' sizes from S3",
                        (settings, context) -> {
                            S3Client s3 = context.shared(AwsResources.S3);
                            Sink<Event> sink = deliveries -> {
                                for (Delivery<Event> delivery : deliveries) {
                                    @SuppressWarnings("unchecked")
                                    List<S3ObjectRef> objects = (List<S3ObjectRef>) delivery.value().record().values()
                                            .get(S3NotificationsPlugin.OBJECTS);
                                    for (S3ObjectRef object : objects) {
                                        OBJECT_SIZES.put(object.bucket() + "/" + object.key(), s3.headObject(r -> r
                                                .bucket(object.bucket()).key(object.key())).contentLength());
                                    }
                                }
                                WRITTEN.computeIfAbsent(context.pipeline(), name -> new CopyOnWriteArrayList<>())
                                        .addAll(deliveries.stream().map(Delivery::value).toList());
                            };
                            return new Plugin.SinkPart(sink, false);
                        }),
                Plugin.errors("collect", NoSettings.class, "collects rejects", (settings, context) -> {
                    List<Rejected> rejected = REJECTED.computeIfAbsent(context.pipeline(),
                            name -> new CopyOnWriteArrayList<>());
                    ErrorSink sink = rejected::addAll;
                    return new Plugin.ErrorsPart(sink, RejectedMessages.ACKNOWLEDGE);
                }));
    }

    @Override
    public List<Service<?>> services() {
        return List.of(new Service<>(CheckpointStore.class, "memory",
                new SharedResource<>("memory checkpoints", context -> CHECKPOINTS)));
    }
}
