package dev.sluice.pipelines;

import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.pipelines.partitions.PartitionsRoutes;
import dev.sluice.pipelines.totals.ParquetTotalsSink;
import java.util.List;

/**
 * The seed flows shipped as definitions in the jar ({@code sluice/pipelines/*.yaml}), and the plugins that compose
 * two connectors: {@code parquet_totals} sums Parquet files (sluice-parquet) into Redis (sluice-redis), the
 * {@code partitions} route lists a day of Parquet files on S3 (sluice-aws).
 */
public final class PipelinesPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(ParquetTotalsSink.PLUGIN, PartitionsRoutes.PLUGIN);
    }

    @Override
    public List<String> definitions() {
        return List.of("sluice/pipelines/logins.yaml");
    }
}
