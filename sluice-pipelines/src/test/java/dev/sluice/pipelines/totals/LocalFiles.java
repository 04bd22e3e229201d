package dev.sluice.pipelines.totals;

import dev.sluice.core.files.ObjectFetcher;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.engine.SourceCoordinates.StoredObject;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.ReadsFrom;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Processor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What {@code parquet_totals} needs around it in a test, standing in for S3 and its notifications: a source of
 * in-memory queues whose message body {@code <etag> <path>} names one local file, the {@code local} fetcher that
 * copies it into the work directory, and an error sink that collects rejects.
 */
public final class LocalFiles implements PluginProvider {

    static final Map<String, InMemoryQueue> QUEUES = new ConcurrentHashMap<>();
    static final Map<String, List<Rejected>> REJECTED = new ConcurrentHashMap<>();

    /** One local file, as a notification names an object. */
    record LocalObject(String etag, Path path) {
        StoredObject stored() {
            return new StoredObject("local", path.getFileName().toString(), etag);
        }
    }

    record QueueSettings(String queue) implements ReadsFrom {
        @Override
        public String readsFrom() {
            return "memory queue " + queue;
        }
    }

    record NoSettings() {
    }

    @Override
    public List<Plugin<?, ?>> plugins() {
        Processor decoder = event -> {
            String[] parts = event.message().body().split(" ", 2);
            return Outcome.emit(event.with(new FlatRecord(Map.of("objects",
                    List.of(new LocalObject(parts[0], Path.of(parts[1])))))));
        };
        return List.of(
                Plugin.source("local_files", QueueSettings.class, "local files named by in-memory messages",
                        (settings, context) -> new Plugin.SourcePart(QUEUES.computeIfAbsent(settings.queue(),
                                name -> new InMemoryQueue(name, Duration.ofSeconds(30))), List.of(decoder))),
                Plugin.errors("collect", NoSettings.class, "collects rejects", (settings, context) -> {
                    List<Rejected> rejected = REJECTED.computeIfAbsent(context.pipeline(),
                            name -> new CopyOnWriteArrayList<>());
                    return new Plugin.ErrorsPart(rejected::addAll, RejectedMessages.ACKNOWLEDGE);
                }));
    }

    @Override
    public List<Service<?>> services() {
        return List.of(new Service<>(ObjectFetcher.class, "local", new SharedResource<>("local files",
                context -> new Fetcher())));
    }

    /** Copies the file, as a download would; a file that is not there is gone. */
    static final class Fetcher implements ObjectFetcher<LocalObject> {
        @Override
        public Class<LocalObject> referenceType() {
            return LocalObject.class;
        }

        @Override
        public StoredObject notified(LocalObject reference) {
            return reference.stored();
        }

        @Override
        public Fetched fetch(LocalObject reference, Path workDirectory) throws IOException, ObjectGoneException {
            if (!Files.exists(reference.path())) {
                throw new ObjectGoneException(reference.stored().describe() + " no longer exists");
            }
            Path copy = Files.copy(reference.path(), Files.createTempFile(workDirectory, "object-", ".parquet"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new Fetched() {
                @Override
                public StoredObject version() {
                    return reference.stored();
                }

                @Override
                public Path file() {
                    return copy;
                }

                @Override
                public void close() throws IOException {
                    Files.deleteIfExists(copy);
                }
            };
        }
    }
}
