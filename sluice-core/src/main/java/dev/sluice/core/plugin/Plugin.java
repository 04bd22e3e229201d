package dev.sluice.core.plugin;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.engine.Sink;
import dev.sluice.core.engine.Source;
import dev.sluice.core.job.Job;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Panel;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.pipeline.ReadRoute;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the catalog: the {@code type} users write in a pipeline definition, the record its settings bind
 * into (strictly, with defaults and validation in its compact constructor), and the factory that builds the part.
 * A module lists the plugins it owns in its {@link PluginProvider}.
 *
 * <pre>{@code
 * Plugin.processor("mask", MaskSettings.class, "replaces fields with keyed tokens (hmac or siv)",
 *         (settings, context) -> new MaskProcessor(settings, context.shared(Keys.KEYSET)));
 * }</pre>
 *
 * @param kind         where it goes in a definition
 * @param type         the name after {@code type:}, lower snake case
 * @param settingsType the record its settings bind into
 * @param description  one line for {@code sluice plugins} and the reference pages
 * @param factory      builds the part from its settings
 */
public record Plugin<S, T>(PluginKind kind, String type, Class<S> settingsType, String description,
                           Factory<S, T> factory) {

    public Plugin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(settingsType, "settingsType");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(factory, "factory");
        if (type == null || !type.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a plugin type is lower snake case, not " + type);
        }
    }

    /** Builds a part from bound settings. */
    @FunctionalInterface
    public interface Factory<S, T> {
        /**
         * @throws IllegalArgumentException a rule the settings break given the rest of the pipeline (a field no
         *                                  schema declares); its message starts with the setting's key
         * @throws Exception                anything else that stops the part from being built (a migration failed)
         */
        T create(S settings, PluginContext context) throws Exception;
    }

    /** What a source plugin builds: the source, and the processors that turn its messages into records, if any. */
    public record SourcePart(Source source, List<Processor> decoders) {
        public SourcePart {
            Objects.requireNonNull(source, "source");
            decoders = List.copyOf(decoders);
        }

        public static SourcePart of(Source source) {
            return new SourcePart(source, List.of());
        }
    }

    /**
     * What a sink plugin builds: the sink (a {@link dev.sluice.core.engine.BufferingSink} when it gathers files), and
     * whether it needs its writes in source order (one receiver, one writer), which the assembler enforces: always
     * ({@code orderedWrites}), or when its source replays in order ({@code orderedFromStreams}: a sink naming its
     * files by the position of their first record rewrites the same objects on a replay only if it sees each shard's
     * records in order). {@code eventsPerFile}: for a sink that holds messages unacknowledged until their file is
     * stored, the count at which a file rolls (0 for any other sink); the runner must let more than that many
     * messages be in flight, or a file could never fill and would only ever roll by age.
     */
    public record SinkPart(Sink<Event> sink, boolean orderedWrites, boolean orderedFromStreams, int eventsPerFile) {
        public SinkPart {
            Objects.requireNonNull(sink, "sink");
            if (eventsPerFile < 0) {
                throw new IllegalArgumentException("eventsPerFile must not be negative, was " + eventsPerFile);
            }
        }

        public SinkPart(Sink<Event> sink, boolean orderedWrites) {
            this(sink, orderedWrites, false, 0);
        }

        /** Whether writes must come in source order from {@code source}. */
        public boolean ordered(Source source) {
            return orderedWrites || orderedFromStreams && source.replaysInOrder();
        }

        /** {@code wrapping} in place of the sink (a dedupe around it), with the same needs. */
        public SinkPart withSink(Sink<Event> wrapping) {
            return new SinkPart(wrapping, orderedWrites, orderedFromStreams, eventsPerFile);
        }
    }

    /** What an error sink plugin builds: where rejects go, and what then happens to their messages. */
    public record ErrorsPart(ErrorSink sink, RejectedMessages afterwards) {
        public ErrorsPart {
            Objects.requireNonNull(sink, "sink");
            Objects.requireNonNull(afterwards, "afterwards");
        }
    }

    /**
     * What a routes plugin builds: its read routes, and the panels that show their data on the dashboard (none for
     * routes only scripts read).
     */
    public record RoutesPart(List<ReadRoute> routes, List<Panel> panels) {
        public RoutesPart {
            routes = List.copyOf(routes);
            panels = List.copyOf(panels);
        }

        /** Routes no panel shows. */
        public static RoutesPart of(List<ReadRoute> routes) {
            return new RoutesPart(routes, List.of());
        }
    }

    public static <S> Plugin<S, SourcePart> source(String type, Class<S> settings, String description,
                                                   Factory<S, SourcePart> factory) {
        return new Plugin<>(PluginKind.SOURCE, type, settings, description, factory);
    }

    public static <S> Plugin<S, Processor> processor(String type, Class<S> settings, String description,
                                                     Factory<S, Processor> factory) {
        return new Plugin<>(PluginKind.PROCESSOR, type, settings, description, factory);
    }

    public static <S> Plugin<S, SinkPart> sink(String type, Class<S> settings, String description,
                                               Factory<S, SinkPart> factory) {
        return new Plugin<>(PluginKind.SINK, type, settings, description, factory);
    }

    public static <S> Plugin<S, ErrorsPart> errors(String type, Class<S> settings, String description,
                                                   Factory<S, ErrorsPart> factory) {
        return new Plugin<>(PluginKind.ERRORS, type, settings, description, factory);
    }

    public static <S> Plugin<S, Job> job(String type, Class<S> settings, String description, Factory<S, Job> factory) {
        return new Plugin<>(PluginKind.JOB, type, settings, description, factory);
    }

    public static <S> Plugin<S, RoutesPart> routes(String type, Class<S> settings, String description,
                                                   Factory<S, RoutesPart> factory) {
        return new Plugin<>(PluginKind.ROUTES, type, settings, description, factory);
    }
}
