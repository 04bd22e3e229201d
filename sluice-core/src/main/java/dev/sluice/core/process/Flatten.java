package dev.sluice.core.process;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.Flattener;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import java.util.Set;

/**
 * {@code flatten}: nested JSON objects become flat names ({@code {"device": {"os": "ios"}}} → {@code device_os}),
 * to any depth; arrays and other values are kept whole. Two keys that flatten to one name are a reject naming both
 * ({@link Flattener}). A {@code schema} flattens by itself; this is for pipelines without one, or another separator.
 */
public final class Flatten implements Processor {

    /**
     * @param separator put between a parent's name and its child's; default {@code _}; not empty
     */
    public record Settings(String separator) {
        public Settings {
            separator = separator == null ? Flattener.DEFAULT_SEPARATOR : separator;
            if (separator.isEmpty()) {
                throw new IllegalArgumentException("separator must not be empty");
            }
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("flatten", Settings.class,
            "nested JSON objects as flat field names (device.os → device_os)", (settings, context) -> {
                if (context.fields().isKnown()) {
                    throw new IllegalArgumentException("flatten works on parsed JSON, but a schema before it has"
                            + " already made typed fields of it (a schema flattens by itself); put flatten before"
                            + " the schema or remove it");
                }
                return new Flatten(settings);
            });

    private final Flattener flattener;

    Flatten(Settings settings) {
        this.flattener = new Flattener(Set.of(), settings.separator());
    }

    @Override
    public Outcome<Event> apply(Event event) {
        return Outcomes.map(flattener.flatten(event.record().values().entrySet()),
                flat -> event.with(new FlatRecord(flat)));
    }
}
