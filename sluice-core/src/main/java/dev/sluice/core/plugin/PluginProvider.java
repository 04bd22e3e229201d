package dev.sluice.core.plugin;

import java.util.List;

/**
 * What one module adds to the catalog, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.sluice.core.plugin.PluginProvider} of the module that owns the plugins.
 *
 * <pre>{@code
 * public final class PostgresPlugins implements PluginProvider {
 *     public List<Plugin<?, ?>> plugins() { return List.of(PostgresTableSink.PLUGIN, PostgresErrors.PLUGIN); }
 *     public List<ConfigSection<?>> sections() { return List.of(PostgresResources.SECTION); }
 * }
 * }</pre>
 */
public interface PluginProvider {

    List<Plugin<?, ?>> plugins();

    /** The top-level sections of sluice.yaml this module reads ({@code postgres:}); none by default. */
    default List<ConfigSection<?>> sections() {
        return List.of();
    }

    /** The named services this module offers plugins of other modules (a checkpoint store in Postgres). */
    default List<Service<?>> services() {
        return List.of();
    }

    /**
     * The pipeline definitions this module ships, as class path resources (e.g. {@code sluice/pipelines/logins.yaml}),
     * each written like a user's file ({@code pipelines: {logins: …}}); none by default.
     */
    default List<String> definitions() {
        return List.of();
    }
}
