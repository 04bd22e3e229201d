package dev.sluice.postgres.plugin;

import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.dedupe.DedupingSink;
import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.dedupe.SeenEvents;
import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.pipeline.SinkWrapper;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.SinkPart;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.core.plugin.SharedResource;
import dev.sluice.postgres.StorableText;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code dedupe} processor: keeps a second copy of an event (the same value of the {@code key} field within the
 * horizon) out of a sink that gathers files, with core's {@link DedupingSink}; the events stored are remembered in
 * a {@link SeenEvents} store chosen by name, under the pipeline's name, so pipelines sharing a store never drop each
 * other's events. An event is remembered from the later of when its message was sent and its arrival. Written last
 * in {@code processors:}; an event without a key is rejected here, as dedupe cannot tell its copies apart.
 */
public final class Dedupe {

    /**
     * @param key     the field that identifies an event, e.g. {@code event_id}; declared by the schema when there is
     *                one (required)
     * @param horizon how long a stored event is remembered (default 24 h, between 1 hour and 30 days); every dedupe
     *                of one store keeps the same horizon, since each purges the store by its own
     * @param store   the {@link SeenEvents} service the stored events are remembered in (default {@code postgres})
     */
    public record Settings(String key, Duration horizon, String store) {
        public Settings {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("key is required: the field that identifies an event");
            }
            horizon = new DedupeSettings(horizon, null, null, null).horizon();
            store = store == null ? "postgres" : store;
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("dedupe",
            Settings.class, "drops a second copy of an event (same key within the horizon) before a file sink",
            Dedupe::create);

    /** The first dedupe of a store in this process: its horizon is every other's. */
    private record Claim(String pipeline, Duration horizon) {
    }

    /** The first dedupe of each store in this process, by store name. */
    private static final SharedResource<Map<String, Claim>> HORIZONS = SharedResource.local("dedupe horizons",
            context -> new ConcurrentHashMap<>());

    private Dedupe() {
    }

    static SinkWrapper create(Settings settings, PluginContext context) {
        context.fields().require("key", settings.key(), "dedupe identifies events by it");
        SeenEvents store = context.service(SeenEvents.class, settings.store(), "store");
        Claim first = context.shared(HORIZONS).putIfAbsent(settings.store(),
                new Claim(context.pipeline(), settings.horizon()));
        if (first != null && !first.horizon().equals(settings.horizon())) {
            throw new IllegalArgumentException("horizon: every dedupe of store " + settings.store() + " keeps the"
                    + " same horizon, since each forgets the store's events older than its own (pipeline "
                    + first.pipeline() + " keeps " + first.horizon() + ")");
        }
        DedupeSettings dedupe = new DedupeSettings(settings.horizon(), null, null, null);
        SeenEvents seen = new PipelineSeenEvents(context.pipeline(), store);
        return new SinkWrapper() {
            @Override
            public Outcome<Event> apply(Event event) {
                if (event.record().values().get(settings.key()) == null) {
                    return Outcome.reject("dedupe: field '" + settings.key() + "' is missing or null; it identifies"
                            + " the event");
                }
                return Outcome.emit(event);
            }

            @Override
            public SinkPart wrap(SinkPart sink) {
                if (!(sink.sink() instanceof BufferingSink<Event> files)) {
                    throw new IllegalArgumentException("dedupe needs a sink that gathers files");
                }
                return sink.withSink(new DedupingSink<>(files, event -> new SeenEvent(StorableText.bounded(
                        String.valueOf(event.record().values().get(settings.key())), StorableText.MAX_KEY_CHARS),
                        event.message().sentAt()), seen, dedupe, context.clock()));
            }
        };
    }
}
