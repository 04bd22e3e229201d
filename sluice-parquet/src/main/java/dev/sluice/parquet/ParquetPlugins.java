package dev.sluice.parquet;

import dev.sluice.core.files.FileFormat;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import java.util.List;

/** The Parquet module's part of the catalog: the {@code parquet} format of the {@code files} sink. */
public final class ParquetPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of();
    }

    @Override
    public List<Service<?>> services() {
        return List.of(new Service<>(FileFormat.class, ParquetFormat.NAME, SharedResource.local("parquet format",
                context -> ParquetFormat.UNBOUND)));
    }
}
