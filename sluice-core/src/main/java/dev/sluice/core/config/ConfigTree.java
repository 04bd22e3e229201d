package dev.sluice.core.config;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
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
     * type. A list whose overlay elements all carry an {@code id} that the base list has merges element by element,
     * in place ({@code processors: [{id: mask, fields: {device_id: siv}}]} changes one step of a shipped pipeline);
     * any other list replaces the base list. Each key keeps the place it was written last.
     */
    public ConfigTree merge(ConfigTree overlay) {
        Map<String, Location> merged = new HashMap<>(locations);
        Map<String, String> moved = new HashMap<>();
        JsonNode result = merge(root, overlay.root, ConfigPath.ROOT, ConfigPath.ROOT, merged, moved);
        overlay.locations.forEach((pointer, location) -> merged.put(movedTo(pointer, moved), location));
        return new ConfigTree(loader, source, result, merged);
    }

    /**
     * @param path        where the value lands in the result
     * @param overlayPath where it is written in the overlay (differs under a list merged by id)
     * @param moved       overlay pointer → result pointer, for each list element merged by id
     */
    private static JsonNode merge(JsonNode base, JsonNode overlay, ConfigPath path, ConfigPath overlayPath,
                                  Map<String, Location> locations, Map<String, String> moved) {
        if (overlay == null || overlay.isNull() || overlay.isMissingNode()) {
            return base;
        }
        if (base instanceof ObjectNode baseObject && overlay instanceof ObjectNode overlayObject
                && (!overlay.has("type") || Objects.equals(baseObject.get("type"), overlayObject.get("type")))) {
            ObjectNode result = baseObject.deepCopy();
            for (Map.Entry<String, JsonNode> entry : overlay.properties()) {
                result.set(entry.getKey(), merge(base.get(entry.getKey()), entry.getValue(),
                        path.child(entry.getKey()), overlayPath.child(entry.getKey()), locations, moved));
            }
            return result;
        }
        if (base instanceof ArrayNode baseList && overlay instanceof ArrayNode overlayList
                && mergesById(baseList, overlayList)) {
            ArrayNode result = baseList.deepCopy();
            for (int i = 0; i < overlayList.size(); i++) {
                int at = indexOfId(baseList, overlayList.get(i).get("id").stringValue());
                moved.put(overlayPath.index(i).pointer(), path.index(at).pointer());
                result.set(at, merge(baseList.get(at), overlayList.get(i), path.index(at), overlayPath.index(i),
                        locations, moved));
            }
            return result;
        }
        String replaced = path.pointer();
        locations.keySet().removeIf(pointer -> pointer.equals(replaced) || pointer.startsWith(replaced + "/"));
        return overlay.deepCopy();
    }

    private static boolean mergesById(ArrayNode base, ArrayNode overlay) {
        if (overlay.isEmpty()) {
            return false;
        }
        for (JsonNode element : overlay) {
            JsonNode id = element.get("id");
            if (id == null || !id.isString() || indexOfId(base, id.stringValue()) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfId(ArrayNode list, String id) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode elementId = list.get(i).get("id");
            if (elementId != null && elementId.isString() && elementId.stringValue().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Where an overlay key landed: under the deepest list element merged by id that holds it. */
    private static String movedTo(String pointer, Map<String, String> moved) {
        String best = null;
        for (String from : moved.keySet()) {
            if ((pointer.equals(from) || pointer.startsWith(from + "/")) && (best == null || from.length() > best.length())) {
                best = from;
            }
        }
        return best == null ? pointer : moved.get(best) + pointer.substring(best.length());
    }

    /** This tree without the value under {@code keys} (and where its keys were written); the same tree if absent. */
    public ConfigTree without(String... keys) {
        ConfigPath path = ConfigPath.ROOT;
        JsonNode parent = null;
        JsonNode node = root;
        for (String key : keys) {
            parent = node;
            node = node == null ? null : node.get(key);
            path = path.child(key);
        }
        if (node == null || !(parent instanceof ObjectNode)) {
            return this;
        }
        JsonNode copy = root.deepCopy();
        JsonNode holder = copy;
        for (int i = 0; i < keys.length - 1; i++) {
            holder = holder.get(keys[i]);
        }
        ((ObjectNode) holder).remove(keys[keys.length - 1]);
        String removed = path.pointer();
        Map<String, Location> kept = new HashMap<>(locations);
        kept.keySet().removeIf(pointer -> pointer.equals(removed) || pointer.startsWith(removed + "/"));
        return new ConfigTree(loader, source, copy, kept);
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

    <T> Optional<T> bind(ConfigPath path, JsonNode node, Class<T> type, ConfigProblems problems) {
        return loader.bind(this, path, node, type, problems);
    }

    ConfigException brokenRule(ConfigPath path, String rule, Throwable cause) {
        return ConfigLoader.brokenRule(this, path, rule, cause);
    }

    Iterator<String> keys(JsonNode node) {
        return node.propertyNames().iterator();
    }
}
