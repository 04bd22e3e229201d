package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One value of a {@link ConfigTree} with its path: navigate with {@link #at}, bind with {@link #bind}, and report a
 * problem about it with {@link #problem}, which names the file, line and key path where it is written.
 */
public final class ConfigNode {

    private final ConfigTree tree;
    private final ConfigPath path;
    private final JsonNode value;

    ConfigNode(ConfigTree tree, ConfigPath path, JsonNode value) {
        this.tree = tree;
        this.path = path;
        this.value = value == null ? MissingNode.getInstance() : value;
    }

    public ConfigPath path() {
        return path;
    }

    public JsonNode value() {
        return value;
    }

    /** The value under these keys; missing (not null) when any is absent. */
    public ConfigNode at(String... keys) {
        ConfigNode node = this;
        for (String key : keys) {
            node = new ConfigNode(tree, node.path.child(key), node.value.get(key));
        }
        return node;
    }

    /** Each element of this list, with its index in the path; none when missing. */
    public List<ConfigNode> elements() {
        List<ConfigNode> elements = new ArrayList<>();
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                elements.add(new ConfigNode(tree, path.index(i), value.get(i)));
            }
        }
        return elements;
    }

    /** The keys of this mapping in written order; none when it is not one. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (value.isObject()) {
            tree.keys(value).forEachRemaining(keys::add);
        }
        return keys;
    }

    public boolean isMissing() {
        return value.isMissingNode() || value.isNull();
    }

    public boolean isMapping() {
        return value.isObject();
    }

    /** The text of this value when it is a string. */
    public Optional<String> text() {
        return value.isString() ? Optional.of(value.stringValue()) : Optional.empty();
    }

    /** This mapping without {@code keys} (the keys a caller reads itself, such as {@code type}), same path. */
    public ConfigNode without(String... keys) {
        if (!(value instanceof ObjectNode object)) {
            return this;
        }
        ObjectNode rest = object.deepCopy();
        for (String key : keys) {
            rest.remove(key);
        }
        return new ConfigNode(tree, path, rest);
    }

    /** This mapping with only {@code keys} (those present), same path. */
    public ConfigNode only(String... keys) {
        ObjectNode picked = JsonNodeFactory.instance.objectNode();
        for (String key : keys) {
            if (value.has(key)) {
                picked.set(key, value.get(key));
            }
        }
        return new ConfigNode(tree, path, picked);
    }

    /**
     * Binds this value into {@code type} with the loader's strict rules; a missing value binds as an empty mapping,
     * so a record's defaults apply. Errors name the file, line and full key path.
     */
    public <T> T bind(Class<T> type) {
        JsonNode node = isMissing() ? JsonNodeFactory.instance.objectNode() : value;
        return tree.bind(path, node, type);
    }

    /**
     * Like {@link #bind(Class)}, reporting to {@code problems} instead of stopping at the first: every unknown key
     * under this value is reported; empty when anything was wrong.
     */
    public <T> Optional<T> bind(Class<T> type, ConfigProblems problems) {
        JsonNode node = isMissing() ? JsonNodeFactory.instance.objectNode() : value;
        return tree.bind(path, node, type, problems);
    }

    /** Where this value is written, or its nearest written parent. */
    public ConfigTree.Location location() {
        return tree.nearest(path);
    }

    /** A problem with this value: names its file, line and key path. */
    public ConfigException problem(String problem) {
        return tree.problem(path, problem, null);
    }

    /**
     * A rule this value breaks, worded like a settings record's: when it starts with a key under this value
     * ({@code "columns.email: no field email reaches the sink"}) the error points at that key's line.
     */
    public ConfigException brokenRule(String rule, Throwable cause) {
        return tree.brokenRule(path, rule, cause);
    }
}
