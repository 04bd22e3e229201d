package dev.sluice.parquet.totals;

import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import java.util.List;

/**
 * What sluice-parquet adds to the catalog: the {@code parquet_totals} sink. It downloads through the
 * {@link ObjectFetcher} service its {@code fetcher} setting names, which the module owning the object store offers.
 */
public final class ParquetPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(ParquetTotalsSink.PLUGIN);
    }
}
