package dev.sluice.postgres.plugin;

import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;

import java.util.List;

/** The Postgres module's part of the catalog: its sinks, error sink, dedupe, the postgres section and services. */
public final class PostgresPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(PostgresTableSink.PLUGIN, PostgresErrors.PLUGIN, Dedupe.PLUGIN);
    }

    @Override
    public List<ConfigSection<?>> sections() {
        return List.of(PostgresResources.SECTION);
    }

    @Override
    public List<Service<?>> services() {
        return List.of(PostgresResources.CHECKPOINTS, PostgresResources.SEEN_EVENTS);
    }
}
