package dev.sluice.redis;

import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import java.util.List;

/**
 * What sluice-redis adds to the catalog: the top-level {@code redis:} section, the {@code totals} read routes and the
 * {@code redis_errors} error sink.
 */
public final class RedisPlugins implements PluginProvider {

    /** {@code redis:} in sluice.yaml: where aggregates are kept. */
    public static final ConfigSection<RedisSettings> SECTION = new ConfigSection<>("redis", RedisSettings.class,
            "the Redis server that keeps aggregates (url, password, key prefix, timeouts, pool)");

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(TotalsRoutes.PLUGIN, RedisErrors.PLUGIN);
    }

    @Override
    public List<ConfigSection<?>> sections() {
        return List.of(SECTION);
    }
}
