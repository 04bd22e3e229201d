package dev.sluice.core.process;

import dev.sluice.core.files.FilesPlugin;
import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;
import java.util.List;

/**
 * The processors every pipeline can use, the {@code files} sink and its ndjson formats, and the {@code keys:} section
 * the {@code mask} processor reads.
 */
public final class CorePlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(ParseJson.PLUGIN, Flatten.PLUGIN, Schema.PLUGIN, Mask.PLUGIN, Derive.PLUGIN, EditFields.PLUGIN,
                Filter.PLUGIN, FilesPlugin.PLUGIN);
    }

    /** The file formats of the {@code files} sink that core writes. */
    @Override
    public List<Service<?>> services() {
        return FilesPlugin.FORMATS;
    }

    @Override
    public List<ConfigSection<?>> sections() {
        return List.of(KeysSettings.SECTION);
    }
}
