package dev.sluice.core.plugin;

import dev.sluice.core.pipeline.JobSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a plugin's settings mean, for people: each key with its type, default and rule, as {@code sluice plugins
 * NAME} prints it, as the Settings table of {@code docs/plugins/TYPE.md} shows it and as {@code sluice schema}
 * describes it. The words live in {@code sluice/plugins/KIND/TYPE.yaml} in the module that owns the plugin (a
 * reference a module ships beside its code); the keys are the settings record's, so {@link #problems()} names a
 * setting the record has and the reference lacks, or one it documents that the record does not have.
 *
 * <p>A nested setting is written with its path ({@code roll.maxEvents}); {@code <c>} stands for any key of a
 * mapping ({@code columns.<c>.type}). A job's schedule ({@code every}, {@code firstRun}, {@code maxRunTime}) is
 * part of its settings.
 */
public record SettingsReference(PluginKind kind, String type, Class<?> settingsType, List<Setting> settings) {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** One row: the key path and, as markdown, its type, its default and its rule. */
    public record Setting(String key, String type, String defaultValue, String rule) {
        public Setting {
            Objects.requireNonNull(key, "key");
        }
    }

    public SettingsReference {
        settings = List.copyOf(settings);
    }

    /** The class path resource of the reference of a plugin. */
    public static String resource(PluginKind kind, String type) {
        return "sluice/plugins/" + kind.name().toLowerCase(java.util.Locale.ROOT) + "/" + type + ".yaml";
    }

    /** The reference of {@code plugin}; no settings when its module ships none ({@link #problems()} says so). */
    public static SettingsReference of(Plugin<?, ?> plugin) {
        String resource = resource(plugin.kind(), plugin.type());
        List<Setting> settings = new ArrayList<>();
        ClassLoader loader = plugin.settingsType().getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(resource)) {
            if (in != null) {
                JsonNode root = YAML.readTree(in);
                for (Map.Entry<String, JsonNode> entry : root.properties()) {
                    JsonNode row = entry.getValue();
                    settings.add(new Setting(entry.getKey(), text(row, "type"), text(row, "default"),
                            text(row, "rule")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource + ": " + e.getMessage(), e);
        }
        return new SettingsReference(plugin.kind(), plugin.type(), plugin.settingsType(), settings);
    }

    private static String text(JsonNode row, String key) {
        JsonNode value = row.get(key);
        return value == null || value.isNull() ? "" : value.asString();
    }

    /** The documented setting at {@code key}, if any. */
    public Optional<Setting> setting(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /**
     * What keeps this reference from matching the settings record: a setting of the record it lacks, a key it
     * documents that the record does not read; none when they match.
     */
    public List<String> problems() {
        String where = resource(kind, type);
        List<String> problems = new ArrayList<>();
        if (settings.isEmpty() && !components(settingsType).isEmpty()) {
            return List.of(where + " is missing: every plugin documents its settings there");
        }
        Set<String> documented = new LinkedHashSet<>();
        for (Setting setting : settings) {
            if (!documented.add(setting.key())) {
                problems.add(where + ": " + setting.key() + " is documented twice");
            }
            if (resolve(setting.key()).isEmpty()) {
                problems.add(where + ": documents " + setting.key() + ", which " + settingsType.getName()
                        + " does not read");
            }
        }
        List<String> prefixes = new ArrayList<>(List.of(""));
        documented.stream().filter(k -> k.contains(".")).map(k -> k.substring(0, k.lastIndexOf('.') + 1))
                .distinct().forEach(prefixes::add);
        for (String prefix : prefixes) {
            for (String name : componentsAt(prefix)) {
                String key = prefix + name;
                if (!documented.contains(key) && documented.stream().noneMatch(k -> k.startsWith(key + "."))) {
                    problems.add(where + ": setting " + key + " of " + settingsType.getName() + " is not documented");
                }
            }
        }
        return problems;
    }

    /** The keys read at {@code prefix} (empty: the top level; a job's schedule included). */
    private List<String> componentsAt(String prefix) {
        if (prefix.isEmpty()) {
            List<String> names = new ArrayList<>(components(settingsType));
            if (kind == PluginKind.JOB) {
                names.addAll(List.of(JobSchedule.KEYS));
            }
            return names;
        }
        return resolve(prefix.substring(0, prefix.length() - 1)).map(SettingsReference::rawClass)
                .map(SettingsReference::components).orElse(List.of());
    }

    /** The Java type read at {@code key}, following records, and mappings and lists at {@code <…>}. */
    public Optional<Type> resolve(String key) {
        Type at = settingsType;
        String[] segments = key.split("\\.");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (i == 0 && kind == PluginKind.JOB && List.of(JobSchedule.KEYS).contains(segment)
                    && segments.length == 1) {
                return Optional.of(java.time.Duration.class);
            }
            if (segment.startsWith("<") && segment.endsWith(">")) {
                if (!(at instanceof ParameterizedType generic)) {
                    return Optional.empty();
                }
                Type[] arguments = generic.getActualTypeArguments();
                at = arguments[arguments.length - 1];
                continue;
            }
            Class<?> record = rawClass(at);
            if (!record.isRecord()) {
                return Optional.empty();
            }
            Type found = null;
            for (RecordComponent component : record.getRecordComponents()) {
                if (component.getName().equals(segment)) {
                    found = component.getGenericType();
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            at = found;
        }
        return Optional.of(at);
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType generic) {
            return (Class<?>) generic.getRawType();
        }
        return Object.class;
    }

    private static List<String> components(Class<?> type) {
        if (!type.isRecord()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            names.add(component.getName());
        }
        return names;
    }

    /** The Settings table of the plugin's reference page, in markdown. */
    public String markdownTable() {
        StringBuilder table = new StringBuilder("| key | type | default | rule |\n|---|---|---|---|\n");
        for (Setting setting : settings) {
            table.append("| `").append(setting.key()).append("` | ").append(setting.type()).append(" | ")
                    .append(setting.defaultValue()).append(" | ").append(setting.rule()).append(" |\n");
        }
        return table.toString();
    }

    /** For a terminal: each setting on its own lines, markdown's backticks left out. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (Setting setting : settings) {
            text.append("  ").append(setting.key()).append(" (").append(plain(setting.type())).append("; default ")
                    .append(plain(setting.defaultValue())).append(")\n");
            if (!setting.rule().isBlank()) {
                text.append("      ").append(plain(setting.rule())).append('\n');
            }
        }
        return text.toString();
    }

    /** Markdown as read in a terminal: no backticks, bold or links. */
    public static String plain(String markdown) {
        return markdown.replace("`", "").replace("**", "").replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1");
    }
}
