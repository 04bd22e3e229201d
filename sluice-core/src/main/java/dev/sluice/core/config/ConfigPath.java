package dev.sluice.core.config;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * Where a value sits in a configuration tree, as keys and list indexes: shown to users as a dotted key path
 * ({@code pipelines.orders.processors[2].fields}) and used inside as a JSON pointer to find the line it is written on.
 */
public record ConfigPath(List<Object> segments) {

    public static final ConfigPath ROOT = new ConfigPath(List.of());

    public ConfigPath {
        segments = List.copyOf(segments);
    }

    /** The path of a JSON pointer such as {@code /pipelines/logins/processors/0}; digits are read as list indexes. */
    static ConfigPath ofPointer(String pointer) {
        List<Object> segments = new ArrayList<>();
        if (!pointer.isEmpty()) {
            for (String part : pointer.substring(1).split("/", -1)) {
                String key = part.replace("~1", "/").replace("~0", "~");
                segments.add(key.matches("\\d+") ? (Object) Integer.valueOf(key) : key);
            }
        }
        return new ConfigPath(segments);
    }

    public ConfigPath child(String key) {
        return plus(key);
    }

    public ConfigPath index(int index) {
        return plus(index);
    }

    /** This path followed by the path of a binding error inside the value bound here. */
    ConfigPath plus(List<JacksonException.Reference> references) {
        List<Object> more = new ArrayList<>(segments);
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                more.add(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                more.add(reference.getIndex());
            }
        }
        return new ConfigPath(more);
    }

    private ConfigPath plus(Object segment) {
        List<Object> more = new ArrayList<>(segments);
        more.add(segment);
        return new ConfigPath(more);
    }

    /** The path one level up; the root's parent is the root. */
    public ConfigPath parent() {
        return segments.isEmpty() ? this : new ConfigPath(segments.subList(0, segments.size() - 1));
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The last key or index, as text; empty for the root. */
    public String last() {
        return segments.isEmpty() ? "" : String.valueOf(segments.getLast());
    }

    /** As users read it: {@code pipelines.orders.processors[2].fields}. */
    public String keyPath() {
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                if (!text.isEmpty()) {
                    text.append('.');
                }
                text.append(segment);
            }
        }
        return text.toString();
    }

    /** As a JSON pointer: {@code /pipelines/orders/processors/2/fields}. */
    String pointer() {
        StringBuilder pointer = new StringBuilder();
        for (Object segment : segments) {
            pointer.append('/').append(String.valueOf(segment).replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    @Override
    public String toString() {
        return keyPath();
    }
}
