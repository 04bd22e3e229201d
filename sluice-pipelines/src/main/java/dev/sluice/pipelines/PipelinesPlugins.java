package dev.sluice.pipelines;

import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.pipelines.dailycounts.DailyCountsPlugin;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutes;
import dev.sluice.pipelines.lake.CompactionPlugin;
import dev.sluice.pipelines.partitions.PartitionsRoutes;
import dev.sluice.pipelines.totals.ParquetTotalsSink;
import dev.sluice.pipelines.warehouse.WarehouseCheck;
import dev.sluice.pipelines.warehouse.WarehouseLoadPlugin;
import java.util.List;

/**
 * The seed flows shipped as definitions in the jar ({@code sluice/pipelines/*.yaml}), and the plugins that compose
 * two connectors: {@code parquet_totals} sums Parquet files (sluice-parquet) into Redis (sluice-redis); the jobs
 * {@code warehouse_load} (raw files on S3 into a Postgres table) and {@code daily_counts} (Postgres counts drawn
 * into S3), and the {@code daily_counts} routes that serve those charts; the processor {@code warehouse_check}
 * (what a raw archive requires of an event for {@code warehouse_load}); the {@code partitions} route lists a day of
 * Parquet files on S3; the job {@code compaction} merges a day's small files on S3 into fewer.
 */
public final class PipelinesPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(ParquetTotalsSink.PLUGIN, WarehouseLoadPlugin.PLUGIN, DailyCountsPlugin.PLUGIN,
                DailyCountsRoutes.PLUGIN, WarehouseCheck.PLUGIN, PartitionsRoutes.PLUGIN, CompactionPlugin.PLUGIN);
    }

    @Override
    public List<String> definitions() {
        return List.of("sluice/pipelines/logins.yaml", "sluice/pipelines/playtime.yaml",
                "sluice/pipelines/tracking.yaml", "sluice/pipelines/lake.yaml");
    }
}
