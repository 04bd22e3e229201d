package dev.sluice.core.config;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A configuration read from one or more YAML files, merged, that still knows where each key was written: so a
 * setting bound long after the files were read, from a definition shipped in the jar overridden by the user's file,
 * still gets an error naming the file, line and key path of the value that broke the rule.
 *
 * <pre>{@code
 * ConfigLoader loader = ConfigLoader.withSystemEnvironment();
 * ConfigTree config = loader.read("shipped/logins.yaml", shipped).merge(loader.read(Path.of("sluice.yaml")));
 * RunnerSettings runner = config.root().at("pipelines", "logins", "runner").bind(RunnerSettings.class);
 * }</pre>
 */
public final class ConfigTree {

    /** Where a key is written: a file and a 1-based line and column. */
    public record Location(String source, int line, int column) {
    }

    private final ConfigLoader loader;
    private final String source;
    private final JsonNode root;
    private final Map<String, Location> locations;

    ConfigTree(ConfigLoader loader, String source, JsonNode root, Map<String, Location> locations) {
        this.loader = loader;
        this.source = source;
        this.root = root;
        this.locations = Map.copyOf(locations);
    }

    /** The whole tree. */
    public ConfigNode root() {
        return new ConfigNode(this, ConfigPath.ROOT, root);
    }

    /**
     * This tree with {@code overlay} written over it: mappings merge key by key, anything else in the overlay (a
     * value, a list) replaces what was here, and a key the overlay leaves empty ({@code runner:}) changes nothing.
     * A mapping whose {@code type} the overlay changes is replaced whole, since its other keys belonged to the old
     * type. Each key keeps the place it was written last.
     */
    public ConfigTree merge(ConfigTree overlay) {
        Map<String, Location> merged = new HashMap<>(locations);
        JsonNode result = merge(root, overlay.root, ConfigPath.ROOT, merged);
        overlay.locations.forEach(merged::put);
        return new ConfigTree(loader, source, result, merged);
    }

    private static JsonNode merge(JsonNode base, JsonNode overlay, ConfigPath path, Map<String, Location> locations) {
        if (overlay == null || overlay.isNull() || overlay.isMissingNode()) {
            return base;
        }
        if (base instanceof ObjectNode baseObject && overlay instanceof ObjectNode overlayObject
                && Objects.equals(baseObject.get("type"), overlayObject.get("type"))
                || base instanceof ObjectNode && overlay instanceof ObjectNode && !overlay.has("type")) {
            ObjectNode result = ((ObjectNode) base).deepCopy();
            for (Map.Entry<String, JsonNode> entry : overlay.properties()) {
                result.set(entry.getKey(), merge(base.get(entry.getKey()), entry.getValue(),
                        path.child(entry.getKey()), locations));
            }
            return result;
        }
        String replaced = path.pointer();
        locations.keySet().removeIf(pointer -> pointer.equals(replaced) || pointer.startsWith(replaced + "/"));
        return overlay.deepCopy();
    }

    /** Where the key at {@code path} is written, if it is. */
    public Optional<Location> writtenAt(ConfigPath path) {
        return Optional.ofNullable(locations.get(path.pointer()));
    }

    /** Where the key at {@code path} or its nearest written parent is. */
    Location nearest(ConfigPath path) {
        for (ConfigPath at = path; ; at = at.parent()) {
            Location found = locations.get(at.pointer());
            if (found != null) {
                return found;
            }
            if (at.isRoot()) {
                return new Location(source, 0, 0);
            }
        }
    }

    /** An error about the value at {@code path}, placed at its line, showing {@code keyPath}. */
    ConfigException problem(ConfigPath path, String keyPath, String problem, Throwable cause) {
        Location at = nearest(path);
        return new ConfigException(at.source(), at.line(), at.column(), keyPath, problem, cause);
    }

    ConfigException problem(ConfigPath path, String problem, Throwable cause) {
        return problem(path, path.keyPath(), problem, cause);
    }

    <T> T bind(ConfigPath path, JsonNode node, Class<T> type) {
        return loader.bind(this, path, node, type);
    }

    ConfigException brokenRule(ConfigPath path, String rule, Throwable cause) {
        return ConfigLoader.brokenRule(this, path, rule, cause);
    }

    Iterator<String> keys(JsonNode node) {
        return node.propertyNames().iterator();
    }
}
