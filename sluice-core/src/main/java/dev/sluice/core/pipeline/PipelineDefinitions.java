package dev.sluice.core.pipeline;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.config.ConfigProblems;
import dev.sluice.core.config.ConfigTree;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginKind;
import dev.sluice.core.plugin.ReadsFrom;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pipelines a process knows: the definitions the modules ship (in the jar, written like a user's file), with the
 * user's sluice.yaml merged over them. A user's {@code pipelines.NAME} either overrides a shipped pipeline (only the
 * keys it writes change: a partial {@code runner:} keeps the pipeline's other runner settings) or, when no pipeline
 * of that name is shipped, defines a new one, which then needs its source and sink.
 *
 * <pre>{@code
 * PipelineDefinitions definitions = PipelineDefinitions.load(Catalog.load(), loader, Optional.of(loader.read(file)));
 * for (String name : definitions.startedByDefault()) { … definitions.definition(name) … }
 * }</pre>
 */
public final class PipelineDefinitions {

    /** The keys a definition may have. */
    static final Set<String> KEYS = new LinkedHashSet<>(List.of("description", "startByDefault", "source",
            "processors", "sink", "errors", "runner", "jobs", "routes"));

    private final ConfigTree config;
    private final List<String> shipped;
    private final List<String> names;

    private PipelineDefinitions(ConfigTree config, List<String> shipped, List<String> names) {
        this.config = config;
        this.shipped = List.copyOf(shipped);
        this.names = List.copyOf(names);
    }

    /**
     * Reads every shipped definition, then {@code userFile} over them, and checks what can be checked without
     * building anything: top-level keys, definition keys, overrides of pipelines that exist, plugin types, and that
     * no two pipelines read the same queue or stream. Stops at the first problem.
     */
    public static PipelineDefinitions load(Catalog catalog, ConfigLoader loader, Optional<ConfigTree> userFile) {
        return load(catalog, loader, userFile, ConfigProblems.FIRST);
    }

    /**
     * The same, reporting every problem to {@code problems}; when it collects, what is wrong is left out (an unknown
     * top-level key, an override of no pipeline) so the rest is still checked and each problem is shown once.
     */
    public static PipelineDefinitions load(Catalog catalog, ConfigLoader loader, Optional<ConfigTree> userFile,
                                           ConfigProblems problems) {
        ConfigTree merged = null;
        List<String> shipped = new ArrayList<>();
        for (String resource : catalog.definitions()) {
            Optional<ConfigTree> read = problems.get(() -> loader.read(resource, readResource(resource)));
            if (read.isPresent()) {
                shipped.addAll(read.get().root().at("pipelines").keys());
                merged = merged == null ? read.get() : merged.merge(read.get());
            }
        }
        if (userFile.isPresent()) {
            ConfigTree user = checkTopLevel(catalog, userFile.get(), problems);
            for (String name : user.root().at("pipelines").keys()) {
                ConfigNode definition = user.root().at("pipelines", name);
                if (!shipped.contains(name) && (definition.isMissing() || definition.at("source").isMissing())) {
                    problems.report(definition.problem("no pipeline named '" + name + "' is shipped to override"
                            + " (shipped: " + String.join(", ", shipped) + "); a new pipeline needs at least a source,"
                            + " a sink and an errors sink"));
                    user = user.without("pipelines", name);
                }
            }
            merged = merged == null ? user : merged.merge(user);
        }
        if (merged == null) {
            throw new IllegalStateException("no pipeline definitions: no module ships any and no file was given");
        }
        List<String> names = merged.root().at("pipelines").keys();
        PipelineDefinitions definitions = new PipelineDefinitions(merged, shipped, names);
        definitions.checkSources(catalog, problems);
        return definitions;
    }

    /** The whole merged configuration (top-level sections included). */
    public ConfigNode root() {
        return config.root();
    }

    /** Every pipeline name, shipped ones first. */
    public List<String> names() {
        return names;
    }

    /** The names shipped in the jar. */
    public List<String> shipped() {
        return shipped;
    }

    /** The pipelines a run without names starts: all but those that say {@code startByDefault: false}. */
    public List<String> startedByDefault() {
        return names.stream()
                .filter(name -> !definition(name).at("startByDefault").value().isBoolean()
                        || definition(name).at("startByDefault").value().booleanValue())
                .toList();
    }

    /** The merged definition of {@code name}. */
    public ConfigNode definition(String name) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("unknown pipeline '" + name + "' (known: " + String.join(", ", names)
                    + ")");
        }
        return config.root().at("pipelines", name);
    }

    static void checkKeys(ConfigNode definition) {
        checkKeys(definition, ConfigProblems.FIRST);
    }

    static void checkKeys(ConfigNode definition, ConfigProblems problems) {
        if (!definition.isMapping()) {
            problems.report(definition.problem("a pipeline definition is a mapping of " + String.join(", ", KEYS)));
            return;
        }
        for (String list : List.of("processors", "jobs", "routes")) {
            Set<String> ids = new java.util.HashSet<>();
            for (ConfigNode element : definition.at(list).elements()) {
                element.at("id").text().filter(id -> !ids.add(id)).ifPresent(id -> problems.report(
                        element.at("id").problem("id '" + id + "' is used twice in " + list + " (an id names one"
                                + " step, so an override can change it)")));
            }
        }
        for (String key : definition.keys()) {
            if (!KEYS.contains(key)) {
                problems.report(definition.at(key).problem("unknown key '" + key + "' in a pipeline definition"
                        + " (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")"));
            }
        }
    }

    /** {@code file} without the top-level keys no module reads, each reported. */
    private static ConfigTree checkTopLevel(Catalog catalog, ConfigTree file, ConfigProblems problems) {
        ConfigNode root = file.root();
        if (!root.isMapping()) {
            problems.report(root.problem("expected a mapping of settings"));
            return file;
        }
        Set<String> known = new TreeSet<>(catalog.sections().keySet());
        known.add("pipelines");
        ConfigTree kept = file;
        for (String key : root.keys()) {
            if (!known.contains(key)) {
                problems.report(root.at(key).problem("unknown key '" + key + "' at the top level (known: "
                        + String.join(", ", known) + ")"));
                kept = kept.without(key);
            }
        }
        return kept;
    }

    /**
     * Binds every part's settings, so a wrong key, type or value stops the start before anything connects; and
     * refuses two pipelines that read one queue (each would get part of its messages), naming both.
     */
    private void checkSources(Catalog catalog, ConfigProblems problems) {
        Map<String, String> readers = new HashMap<>();
        for (String name : names) {
            ConfigNode definition = definition(name);
            checkKeys(definition, problems);
            for (String required : List.of("source", "sink", "errors")) {
                if (definition.at(required).isMissing()) {
                    problems.report(definition.problem("every pipeline needs " + (required.equals("errors")
                            ? "an errors sink (errors:)" : "a " + required)));
                }
            }
            definition.at("runner").bind(RunnerSettings.class, problems);
            bind(catalog, PluginKind.SINK, definition.at("sink"), problems);
            bind(catalog, PluginKind.ERRORS, definition.at("errors"), problems);
            definition.at("processors").elements().forEach(node -> bind(catalog, PluginKind.PROCESSOR, node,
                    problems));
            for (ConfigNode job : definition.at("jobs").elements()) {
                job.only(JobSchedule.KEYS).bind(JobSchedule.class, problems);
                bind(catalog, PluginKind.JOB, job.without(JobSchedule.KEYS), problems);
            }
            definition.at("routes").elements().forEach(node -> bind(catalog, PluginKind.ROUTES, node, problems));
            ConfigNode source = definition.at("source");
            Optional<Object> settings = bind(catalog, PluginKind.SOURCE, source, problems);
            if (settings.orElse(null) instanceof ReadsFrom reads) {
                String other = readers.putIfAbsent(reads.readsFrom(), name);
                if (other != null) {
                    problems.report(source.problem("pipelines " + other + " and " + name + " both read "
                            + reads.readsFrom() + "; each message would reach only one of them (give each pipeline"
                            + " its own)"));
                }
            }
        }
    }

    /** The bound settings of the part at {@code node}, or empty when it is missing or any problem was reported. */
    private static Optional<Object> bind(Catalog catalog, PluginKind kind, ConfigNode node, ConfigProblems problems) {
        if (node.isMissing()) {
            return Optional.empty();
        }
        return problems.get(() -> catalog.plugin(kind, node))
                .flatMap(plugin -> node.without("type", "id").bind(plugin.settingsType(), problems));
    }

    /** The settings of the part at {@code node}, bound as the assembler will bind them. */
    static Object bind(Catalog catalog, PluginKind kind, ConfigNode node) {
        Plugin<?, ?> plugin = catalog.plugin(kind, node);
        return node.without("type", "id").bind(plugin.settingsType());
    }

    private static String readResource(String resource) {
        try (InputStream in = PipelineDefinitions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("shipped definition " + resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
