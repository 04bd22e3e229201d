package dev.sluice.core.process;

import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import java.util.List;

/** The processors every pipeline can use, and the {@code keys:} section the {@code mask} processor reads. */
public final class CorePlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(ParseJson.PLUGIN, Flatten.PLUGIN, Schema.PLUGIN, Mask.PLUGIN, Derive.PLUGIN, EditFields.PLUGIN,
                Filter.PLUGIN);
    }

    @Override
    public List<ConfigSection<?>> sections() {
        return List.of(KeysSettings.SECTION);
    }
}
