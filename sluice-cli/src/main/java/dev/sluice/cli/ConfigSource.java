package dev.sluice.cli;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.pipelines.SluiceConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Loads {@link SluiceConfig} from a user's file, or from the built-in default that reads only the environment. */
final class ConfigSource {
    static final String BUILT_IN = "sluice-default.yaml";

    private ConfigSource() {
    }

    static SluiceConfig load(Path file, Map<String, String> environment) {
        ConfigLoader loader = new ConfigLoader(environment);
        if (file != null) {
            return loader.load(file, SluiceConfig.class);
        }
        return loader.load("built-in " + BUILT_IN, builtIn(), SluiceConfig.class);
    }

    static String builtIn() {
        try (InputStream in = ConfigSource.class.getResourceAsStream("/" + BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
