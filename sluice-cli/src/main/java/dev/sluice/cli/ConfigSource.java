package dev.sluice.cli;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ConfigProblems;
import dev.sluice.core.config.ConfigTree;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.pipelines.SluiceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the configuration from a user's file, or from the built-in default that reads only the environment: the
 * pipeline definitions (shipped ones with the file merged over them) and the connection sections (aws, postgres,
 * redis, keys) the commands use directly.
 */
final class ConfigSource {
    static final String BUILT_IN = "sluice-default.yaml";

    /** The shipped logins pipeline's queue, where {@code generate} and {@code demo} send login events. */
    static final String LOGINS_QUEUE = "login-queue";
    /** The shipped playtime pipeline's queue, where {@code upload}, {@code generate playtime} and the demo notify. */
    static final String PLAYTIME_QUEUE = "playtime-notifications";
    /** The bucket {@code generate playtime} and the demo drop their files into, which {@code sluice local} makes. */
    static final String PLAYTIME_BUCKET = "playtime-datasets";

    /** The shipped tracking pipeline's queue and bucket, which {@code local} and {@code demo} create. */
    static final String TRACKING_QUEUE = "tracking-events";
    static final String TRACKING_BUCKET = "tracking";

    /** The whole configuration: definitions, the catalog they are built from, and the connection sections. */
    record Loaded(SluiceConfig wired, PipelineDefinitions definitions, Catalog catalog) {

        /** Every pipeline a run may name. */
        List<String> known() {
            return List.copyOf(definitions.names());
        }

        /** The queue the shipped playtime definition reads, as the user's file may override it. */
        String playtimeQueue() {
            return definitions.definition("playtime").at("source", "queue").text().orElse(PLAYTIME_QUEUE);
        }

        /** What a run without names starts. */
        List<String> startedByDefault() {
            return List.copyOf(definitions.startedByDefault());
        }

        /** The longest graceful-stop bound of any pipeline: how long a stopping process must be given. */
        Duration longestStopTimeout() {
            Duration longest = Duration.ZERO;
            for (String name : definitions.names()) {
                Duration stop = definitions.definition(name).at("runner").bind(RunnerSettings.class).stopTimeout();
                longest = stop.compareTo(longest) > 0 ? stop : longest;
            }
            return longest;
        }

        /** The same with other connection sections (the demo's local endpoints). */
        Loaded withWired(SluiceConfig other) {
            return new Loaded(other, definitions, catalog);
        }
    }

    private ConfigSource() {
    }

    static SluiceConfig load(Path file, Map<String, String> environment) {
        return read(file, environment).wired();
    }

    /**
     * @param overlays YAML merged over the file, in order (the demo's own settings); named {@code overlay-N} in
     *                 errors
     */
    static Loaded read(Path file, Map<String, String> environment, String... overlays) {
        ConfigLoader loader = new ConfigLoader(environment);
        ConfigTree tree = file != null ? loader.read(file) : loader.read("built-in " + BUILT_IN, builtIn());
        for (int i = 0; i < overlays.length; i++) {
            tree = tree.merge(loader.read("overlay-" + (i + 1), overlays[i]));
        }
        // Every pipeline is a definition: the connection sections are what SluiceConfig binds.
        ConfigTree connections = tree.without("pipelines");
        Catalog catalog = Catalog.load();
        return new Loaded(connections.root().bind(SluiceConfig.class),
                PipelineDefinitions.load(catalog, loader, Optional.of(tree)), catalog);
    }

    /**
     * Every problem {@code file} (the built-in configuration when null) has over the shipped definitions, found
     * without reaching anything ({@code sluice lint}): what {@link #read} would stop at first and what building each
     * pipeline would refuse, all reported to {@code problems}.
     */
    static void lint(Path file, Map<String, String> environment, ConfigProblems problems) {
        ConfigLoader loader = new ConfigLoader(environment);
        Optional<ConfigTree> tree = problems.get(() -> file != null ? loader.read(file)
                : loader.read("built-in " + BUILT_IN, builtIn()));
        if (tree.isEmpty()) {
            // without its sections the shipped definitions would only show errors the file's own would hide
            return;
        }
        Catalog catalog = Catalog.load();
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader, tree, problems);
        // the definitions' check already reported a top-level key no module reads; the record would again
        ConfigTree connections = tree.get().without("pipelines");
        for (String key : tree.get().root().keys()) {
            if (!key.equals("pipelines") && !catalog.sections().containsKey(key)) {
                connections = connections.without(key);
            }
        }
        connections.root().bind(SluiceConfig.class, problems);
        ConfigNode root = definitions.root();
        catalog.sections().forEach((key, section) -> {
            if (!root.at(key).isMissing()) {
                root.at(key).bind(section.type(), problems);
            }
        });
        PipelineAssembler assembler = new PipelineAssembler(catalog, Resources.offline(catalog, root, environment));
        for (String name : definitions.names()) {
            assembler.check(name, definitions.definition(name), problems);
        }
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
