package dev.sluice.cli.pipelinetest;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ConfigTree;
import dev.sluice.core.dedupe.SeenEvents;
import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineAssembler.ProcessorChain;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.pipeline.SinkWrapper;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Resources;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline a test file names, built from its definition without any server: only its source's decoders and its
 * processors are built (no source or sink is opened), masks get the test's keyset and never the user's (neither the
 * {@code keys:} section nor the environment is read), every step sees the test's fixed clock, and a dedupe step
 * remembers events in memory, each case from empty.
 */
final class PipelineUnderTest {

    /** {@code ${NAME}} without a default, outside comment lines: a variable a definition cannot be read without. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final TestFile file;
    private final Catalog catalog;
    private final PipelineDefinitions definitions;
    private final ConfigNode definition;

    private PipelineUnderTest(TestFile file, Catalog catalog, PipelineDefinitions definitions) {
        this.file = file;
        this.catalog = catalog;
        this.definitions = definitions;
        this.definition = definitions.definition(file.pipeline());
    }

    /**
     * Reads the definitions as {@code sluice run --config} would (the shipped ones with the test's definition file
     * merged over them) and finds the test's pipeline; a definition that does not load is its own error, and a
     * pipeline that is not there is an error at the test's {@code pipeline:} line.
     */
    static PipelineUnderTest load(TestFile file) {
        Catalog catalog = Catalog.of(ServiceLoader.load(PluginProvider.class).stream()
                .map(provider -> withoutServers(provider.get())).toList());
        Optional<ConfigTree> user = Optional.empty();
        Map<String, String> environment = new LinkedHashMap<>();
        if (file.definition().isPresent()) {
            String text = read(file);
            // A variable an endpoint needs (${SLUICE_POSTGRES_URL}) means nothing here: empty unless env: sets it.
            for (String line : text.lines().filter(line -> !line.stripLeading().startsWith("#")).toList()) {
                Matcher variable = REQUIRED_VARIABLE.matcher(line);
                while (variable.find()) {
                    environment.put(variable.group(1), "");
                }
            }
            environment.putAll(file.environment());
            ConfigLoader loader = new ConfigLoader(environment);
            user = Optional.of(loader.read(file.definition().get().toString(), text));
        } else {
            environment.putAll(file.environment());
        }
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, new ConfigLoader(environment), user);
        if (!definitions.names().contains(file.pipeline())) {
            throw file.pipelineNode().problem("no pipeline named '" + file.pipeline() + "' in "
                    + file.definition().map(path -> path + " or the shipped definitions")
                    .orElse("the shipped definitions (and no " + file.pipeline() + ".yaml beside this test)")
                    + " (known: " + String.join(", ", definitions.names()) + ")");
        }
        return new PipelineUnderTest(file, catalog, definitions);
    }

    private static String read(TestFile file) {
        try {
            return Files.readString(file.definition().orElseThrow(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.definition().orElseThrow(), e);
        }
    }

    /** The module's plugins as they are, with a dedupe's seen-events store in memory instead of a database. */
    private static PluginProvider withoutServers(PluginProvider provider) {
        return new PluginProvider() {
            @Override
            public List<Plugin<?, ?>> plugins() {
                return provider.plugins();
            }

            @Override
            public List<ConfigSection<?>> sections() {
                return provider.sections();
            }

            @Override
            public List<Service<?>> services() {
                return provider.services().stream().<Service<?>>map(service -> service.type() == SeenEvents.class
                        ? new Service<>(SeenEvents.class, service.name(), new SharedResource<>("seen events in memory",
                        context -> new MemorySeenEvents())) : service).toList();
            }

            @Override
            public List<String> definitions() {
                return provider.definitions();
            }
        };
    }

    String name() {
        return file.pipeline();
    }

    Inputs inputs() {
        ConfigNode source = definition.at("source");
        String type = source.at("type").text().orElse("");
        String queueOrStream = source.at("queue").text().or(() -> source.at("stream").text()).orElse(name());
        // A queue may be written as its URL; the source names it by its last part.
        return new Inputs(type, queueOrStream.substring(queueOrStream.lastIndexOf('/') + 1), file.clock());
    }

    /**
     * A fresh run of the pipeline's processors (all, or those {@code only} names) for one case: what it holds (a
     * dedupe's memory) starts empty. Close it after the case.
     *
     * @throws dev.sluice.core.config.ConfigException a definition the processors cannot be built from
     * @throws IllegalArgumentException               an id in {@code only} that no processor has
     */
    Run run(List<String> only) {
        Resources resources = new Resources(catalog, definitions.root().without("keys"),
                Map.of(Keyset.ENV_KEYSET, file.keysetJson()), new SimpleMeterRegistry(), file.clock());
        List<AutoCloseable> closeAtEnd = new ArrayList<>();
        try {
            ProcessorChain chain = new PipelineAssembler(catalog, resources).processorChain(name(), definition, only,
                    closeAtEnd);
            return new Run(chain, resources, closeAtEnd);
        } catch (RuntimeException e) {
            closeAll(resources, closeAtEnd, e);
            throw e;
        }
    }

    private static void closeAll(Resources resources, List<AutoCloseable> closeAtEnd, RuntimeException failure) {
        for (AutoCloseable part : closeAtEnd.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        resources.close();
    }

    /** The processors of one case, and the sink-side step (a dedupe) the events they emit still pass. */
    static final class Run implements AutoCloseable {
        private final ProcessorChain chain;
        private final Resources resources;
        private final List<AutoCloseable> closeAtEnd;
        private final Taken taken = new Taken();
        private final BufferingSink<Event> wrapped;

        Run(ProcessorChain chain, Resources resources, List<AutoCloseable> closeAtEnd) {
            this.chain = chain;
            this.resources = resources;
            this.closeAtEnd = closeAtEnd;
            this.wrapped = chain.sinkWrapper().map(this::wrap).orElse(null);
        }

        ProcessorChain chain() {
            return chain;
        }

        /**
         * What the pipeline makes of {@code message}: the processors' outcome, and for an event they emit, a drop
         * when the sink-side step keeps it out of the sink (a copy a dedupe drops).
         */
        Outcome<Event> apply(Message message) throws Exception {
            Outcome<Event> outcome = chain.stages().apply(message);
            if (wrapped == null || !(outcome instanceof Outcome.Emit<Event> emit)) {
                return outcome;
            }
            wrapped.write(List.of(new Delivery<>(message, emit.value())));
            return taken.messages.containsKey(message) ? outcome
                    : Outcome.drop("dedupe: a copy of an event this case sent before");
        }

        /**
         * The step around a sink that takes every event into an open file that is never stored: within a case
         * every event stays in flight, so a later copy of it is dropped as the running pipeline drops it.
         */
        private BufferingSink<Event> wrap(SinkWrapper wrapper) {
            BufferingSink<Event> sink = (BufferingSink<Event>) wrapper.wrap(new Plugin.SinkPart(taken, false)).sink();
            sink.start(BufferingSink.Durable.of(messages -> { }, (messages, reason) -> { }));
            return sink;
        }

        @Override
        public void close() {
            RuntimeException failure = new IllegalStateException("closing the test's processors failed");
            closeAll(resources, closeAtEnd, failure);
            if (failure.getSuppressed().length > 0) {
                throw failure;
            }
        }
    }

    /** A file sink whose file never rolls: it only notes which messages reached it. */
    private static final class Taken implements BufferingSink<Event> {
        final Map<Message, Boolean> messages = Collections.synchronizedMap(new IdentityHashMap<>());

        @Override
        public void start(Durable durable) {
        }

        @Override
        public void write(List<Delivery<Event>> deliveries) {
            deliveries.forEach(delivery -> messages.put(delivery.source(), true));
        }

        @Override
        public void roll(Instant now) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void giveUpPending(String reason) {
        }

        @Override
        public Duration tick() {
            return Duration.ofDays(1);
        }
    }
}
