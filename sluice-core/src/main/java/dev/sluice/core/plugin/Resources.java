package dev.sluice.core.plugin;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ConfigPath;
import dev.sluice.core.pipeline.Fields;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipelines of one process share: the configuration's top-level sections, the resources plugins open once
 * ({@link SharedResource}), the readiness probes, the clock and the meter registry. Closed after every pipeline
 * stopped, in the reverse order of opening.
 */
public final class Resources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Resources.class);

    private final Catalog catalog;
    private final ConfigNode config;
    private final Map<String, String> environment;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Object> sections = new HashMap<>();
    private final Map<SharedResource<?>, Object> shared = new HashMap<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Map<String, ReadinessProbe> probes = new LinkedHashMap<>();
    private final boolean offline;

    /**
     * @param config the whole configuration (its top-level sections are read from here)
     */
    public Resources(Catalog catalog, ConfigNode config, Map<String, String> environment, MeterRegistry registry,
                     Clock clock) {
        this(catalog, config, environment, registry, clock, false);
    }

    private Resources(Catalog catalog, ConfigNode config, Map<String, String> environment, MeterRegistry registry,
                      Clock clock, boolean offline) {
        this.offline = offline;
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.config = Objects.requireNonNull(config, "config");
        this.environment = Map.copyOf(environment);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Resources for checking definitions without reaching anything ({@code sluice lint}): a section a part asks for
     * is bound (so its errors show) and then ends the part's check with an {@link OnlineOnlyException}, since every
     * connection is made from one; a shared resource opens only through its offline opener, if it has one.
     */
    public static Resources offline(Catalog catalog, ConfigNode config, Map<String, String> environment) {
        return new Resources(catalog, config, environment, new SimpleMeterRegistry(), Clock.systemUTC(), true);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Clock clock() {
        return clock;
    }

    /** Every readiness probe a built part asked for, by name, in the order they were asked for. */
    public synchronized Map<String, ReadinessProbe> probes() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(probes));
    }

    /** A context for the part of {@code pipeline} written at {@code path}, reached by {@code fields}. */
    public PluginContext context(String pipeline, ConfigPath path, Fields fields, List<AutoCloseable> closeAtEnd) {
        return new PartContext(pipeline, path, fields, closeAtEnd);
    }

    @SuppressWarnings("unchecked")
    synchronized <S> S section(ConfigSection<S> section) {
        if (catalog.sections().get(section.key()) != section) {
            throw new IllegalStateException("section " + section.key() + " is not registered by any PluginProvider");
        }
        S bound = (S) sections.computeIfAbsent(section.key(), key -> config.at(key).bind(section.type()));
        if (offline) {
            throw new OnlineOnlyException("the " + section.key() + ": section");
        }
        return bound;
    }

    @SuppressWarnings("unchecked")
    synchronized <R> R shared(SharedResource<R> resource, PluginContext asking) {
        Object open = shared.get(resource);
        if (open == null) {
            SharedResource.Opener<R> opener = offline ? resource.offline() : resource.opener();
            if (opener == null) {
                throw new OnlineOnlyException(resource.name());
            }
            try {
                open = opener.open(asking);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(resource.name() + ": cannot open (" + e.getMessage() + ")", e);
            }
            shared.put(resource, open);
            if (open instanceof AutoCloseable closeable) {
                opened.add(closeable);
            }
        }
        return (R) open;
    }

    synchronized void probe(String name, ReadinessProbe probe) {
        probes.putIfAbsent(name, probe);
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable resource : opened.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
        opened.clear();
        shared.clear();
    }

    private final class PartContext implements PluginContext {
        private final String pipeline;
        private final ConfigPath path;
        private final Fields fields;
        private final List<AutoCloseable> closeAtEnd;

        PartContext(String pipeline, ConfigPath path, Fields fields, List<AutoCloseable> closeAtEnd) {
            this.pipeline = pipeline;
            this.path = path;
            this.fields = fields;
            this.closeAtEnd = closeAtEnd;
        }

        @Override
        public String pipeline() {
            return pipeline;
        }

        @Override
        public ConfigPath path() {
            return path;
        }

        @Override
        public Fields fields() {
            return fields;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public MeterRegistry registry() {
            return registry;
        }

        @Override
        public Map<String, String> environment() {
            return environment;
        }

        @Override
        public <S> S section(ConfigSection<S> section) {
            return Resources.this.section(section);
        }

        @Override
        public <R> R shared(SharedResource<R> resource) {
            return Resources.this.shared(resource, this);
        }

        @Override
        public <T> T service(Class<T> type, String name, String key) {
            Service<T> service = catalog.service(type, name).orElseThrow(() -> new IllegalArgumentException(key
                    + ": no " + type.getSimpleName() + " named '" + name + "' (offered: "
                    + String.join(", ", catalog.services(type)) + ")"));
            return shared(service.resource());
        }

        @Override
        public void readiness(String name, ReadinessProbe probe) {
            probe(name, probe);
        }

        @Override
        public <R extends AutoCloseable> R closeAtEnd(R resource) {
            closeAtEnd.add(resource);
            return resource;
        }
    }
}
