package dev.sluice.core.pipeline;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.engine.Sink;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.plugin.DecodesMessages;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.ReadsFrom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small catalog of our own for the assembler's and the processors' tests: in-memory queues and collecting sinks.
 */
public final class TestPlugins implements PluginProvider {

    public static final Map<String, InMemoryQueue> QUEUES = new ConcurrentHashMap<>();
    public static final Map<String, List<Event>> WRITTEN = new ConcurrentHashMap<>();
    public static final Map<String, List<Rejected>> REJECTED = new ConcurrentHashMap<>();

    record MemorySettings(String queue) implements ReadsFrom {
        MemorySettings {
            if (queue == null) {
                throw new IllegalArgumentException("queue is required");
            }
        }

        @Override
        public String readsFrom() {
            return "memory queue " + queue;
        }
    }

    /** A source whose own decoder puts the body, upper-cased, into field {@code decoded}; it cannot be opened. */
    record DecodedSettings(String queue) implements DecodesMessages {
        @Override
        public List<Processor> decoders() {
            return List.of(new Processor() {
                @Override
                public Outcome<Event> apply(Event event) {
                    return Outcome.emit(event.with(new FlatRecord(Map.of("decoded",
                            event.message().body().toUpperCase(java.util.Locale.ROOT)))));
                }

                @Override
                public Fields fieldsAfter(Fields before) {
                    return Fields.of(List.of(FieldSpec.string("decoded")));
                }
            });
        }
    }

    /** Puts the body into {@code field}; {@code declares} the fields known after it (a schema's job). */
    record FromBodySettings(String field, List<String> declares) {
    }

    /** Needs {@code field} to reach it. */
    record NeedsSettings(String field) {
    }

    record CollectSettings() {
    }

    /** One route at {@code path}, shown on the dashboard as a {@code kind} panel unless kind is null. */
    record EchoRouteSettings(String path, String kind) {
    }

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(
                Plugin.source("memory", MemorySettings.class, "an in-memory queue", (settings, context) ->
                        Plugin.SourcePart.of(QUEUES.computeIfAbsent(settings.queue(),
                                name -> new InMemoryQueue(name, Duration.ofSeconds(30))))),
                Plugin.source("unreachable", DecodedSettings.class, "a source no test can open",
                        (settings, context) -> {
                            throw new IllegalStateException("the unreachable source was opened");
                        }),
                Plugin.processor("from_body", FromBodySettings.class, "the body as one field", (settings, context) ->
                        new Processor() {
                            @Override
                            public Outcome<Event> apply(Event event) {
                                if (event.message().body().equals("bad")) {
                                    return Outcome.reject(settings.field() + ": the body is bad");
                                }
                                return Outcome.emit(event.with(new FlatRecord(Map.of(settings.field(),
                                        event.message().body()))));
                            }

                            @Override
                            public Fields fieldsAfter(Fields before) {
                                return settings.declares() == null ? before : Fields.of(settings.declares().stream()
                                        .map(FieldSpec::string).toList());
                            }
                        }),
                Plugin.processor("needs", NeedsSettings.class, "needs a field", (settings, context) -> {
                    context.fields().require("field", settings.field(), "this processor reads it");
                    return event -> Outcome.emit(event);
                }),
                Plugin.sink("collect", CollectSettings.class, "collects", (settings, context) -> {
                    List<Event> written = WRITTEN.computeIfAbsent(context.pipeline(),
                            name -> new CopyOnWriteArrayList<>());
                    Sink<Event> sink = deliveries -> deliveries.forEach(d -> written.add(d.value()));
                    return new Plugin.SinkPart(sink, false);
                }),
                Plugin.sink("ordered", CollectSettings.class, "needs ordered writes", (settings, context) ->
                        new Plugin.SinkPart(deliveries -> { }, true)),
                Plugin.errors("collect", CollectSettings.class, "collects rejects", (settings, context) -> {
                    List<Rejected> rejected = REJECTED.computeIfAbsent(context.pipeline(),
                            name -> new CopyOnWriteArrayList<>());
                    ErrorSink sink = rejected::addAll;
                    return new Plugin.ErrorsPart(sink, RejectedMessages.ACKNOWLEDGE);
                }),
                Plugin.routes("echo", EchoRouteSettings.class, "answers its own path", (settings, context) -> {
                    List<ReadRoute> routes = List.of(ReadRoute.of(settings.path(),
                            request -> ReadRoute.ReadReply.json("{}")));
                    return settings.kind() == null ? Plugin.RoutesPart.of(routes) : new Plugin.RoutesPart(routes,
                            List.of(new Panel(settings.kind(), context.pipeline() + " echo", settings.path())));
                }));
    }

    @Override
    public List<String> definitions() {
        return List.of("test-pipelines/shipped.yaml");
    }
}
