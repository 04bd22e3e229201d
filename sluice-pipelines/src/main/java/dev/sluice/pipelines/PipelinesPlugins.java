package dev.sluice.pipelines;

import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import java.util.List;

/** The seed flows shipped as definitions in the jar ({@code sluice/pipelines/*.yaml}). */
public final class PipelinesPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of();
    }

    @Override
    public List<String> definitions() {
        return List.of("sluice/pipelines/logins.yaml");
    }
}
