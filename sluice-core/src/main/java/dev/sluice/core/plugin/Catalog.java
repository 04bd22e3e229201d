package dev.sluice.core.plugin;

import dev.sluice.core.config.ConfigNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Every plugin, section and shipped definition the modules on the class path provide, by kind and type.
 *
 * <pre>{@code
 * Catalog catalog = Catalog.load();
 * Plugin<?, ?> sqs = catalog.plugin(PluginKind.SOURCE, "sqs", definition.at("source"));
 * }</pre>
 */
public final class Catalog {

    private final Map<PluginKind, Map<String, Plugin<?, ?>>> plugins = new LinkedHashMap<>();
    private final Map<String, ConfigSection<?>> sections = new LinkedHashMap<>();
    private final List<String> definitions = new ArrayList<>();
    private final List<Service<?>> services = new ArrayList<>();

    private Catalog(List<PluginProvider> providers) {
        for (PluginKind kind : PluginKind.values()) {
            plugins.put(kind, new LinkedHashMap<>());
        }
        for (PluginProvider provider : providers) {
            for (Plugin<?, ?> plugin : provider.plugins()) {
                Plugin<?, ?> before = plugins.get(plugin.kind()).putIfAbsent(plugin.type(), plugin);
                if (before != null) {
                    throw new IllegalStateException("two " + plugin.kind().description() + " plugins are named "
                            + plugin.type() + ": " + before.settingsType().getName() + " and "
                            + plugin.settingsType().getName());
                }
            }
            for (ConfigSection<?> section : provider.sections()) {
                ConfigSection<?> before = sections.putIfAbsent(section.key(), section);
                if (before != null && before != section) {
                    throw new IllegalStateException("two modules read the top-level section " + section.key());
                }
            }
            definitions.addAll(provider.definitions());
            services.addAll(provider.services());
        }
    }

    /** The catalog of every module on the class path. */
    public static Catalog load() {
        return of(ServiceLoader.load(PluginProvider.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    /** A catalog of exactly these providers (tests, embeddings). */
    public static Catalog of(List<PluginProvider> providers) {
        return new Catalog(providers);
    }

    /**
     * The plugin {@code node}'s {@code type} names.
     *
     * @throws dev.sluice.core.config.ConfigException at {@code node} when the type is missing or unknown, listing
     *                                                the known types of that kind
     */
    public Plugin<?, ?> plugin(PluginKind kind, ConfigNode node) {
        if (!node.isMapping()) {
            throw node.problem("expected a mapping with a type (" + kind.description() + ": " + known(kind) + ")");
        }
        String type = node.at("type").text().orElseThrow(() -> node.problem("every " + kind.description()
                + " needs a type (known: " + known(kind) + ")"));
        Plugin<?, ?> plugin = plugins.get(kind).get(type);
        if (plugin == null) {
            throw node.at("type").problem("unknown " + kind.description() + " type '" + type + "' (known: "
                    + known(kind) + ")");
        }
        return plugin;
    }

    /** Every plugin of {@code kind}, sorted by type. */
    public List<Plugin<?, ?>> plugins(PluginKind kind) {
        return plugins.get(kind).values().stream().sorted(Comparator.comparing(Plugin::type)).toList();
    }

    /** The top-level sections by key, in the order the modules declared them. */
    public Map<String, ConfigSection<?>> sections() {
        return Map.copyOf(sections);
    }

    /** The service of {@code type} named {@code name}, if a module offers it. */
    @SuppressWarnings("unchecked")
    public <T> java.util.Optional<Service<T>> service(Class<T> type, String name) {
        return services.stream().filter(s -> s.type() == type && s.name().equals(name))
                .map(s -> (Service<T>) s).findFirst();
    }

    /** The names of the services of {@code type}, sorted. */
    public List<String> services(Class<?> type) {
        return services.stream().filter(s -> s.type() == type).map(Service::name).sorted().toList();
    }

    /** The class path resources of the shipped pipeline definitions. */
    public List<String> definitions() {
        return List.copyOf(definitions);
    }

    private String known(PluginKind kind) {
        return plugins.get(kind).keySet().stream().sorted().collect(Collectors.joining(", "));
    }
}
