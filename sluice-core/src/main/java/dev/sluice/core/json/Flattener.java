package dev.sluice.core.json;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns nested objects into flat {@code parent_child} keys, so producers may send {@code {"device":{"type":"ios"}}}
 * or {@code {"device_type":"ios"}} and the schema sees {@code device_type} either way. Nesting is followed to any
 * depth ({@code a.b.c} becomes {@code a_b_c}); the separator {@code _} can be chosen.
 *
 * <p>Rules, each deliberate:
 * <ul>
 *   <li>If two keys end up with the same flat name ({@code "device_type"} and {@code "device":{"type"}}), the body
 *       is rejected naming both: silently picking one would hide a producer bug.</li>
 *   <li>Arrays are not flattened (their elements have no names); an array stays one value. A schema field of any
 *       scalar type rejects it ("expected a string, got an array"); {@link #asText(JsonNode)} gives its JSON
 *       text for sinks that keep the rest of a payload.</li>
 *   <li>An empty nested object contributes no keys; a {@code null} value stays a key with a null value.</li>
 *   <li>An object under a name the schema declares as a scalar field ({@code "ip": {"v4": …}}) is kept whole, so
 *       the schema rejects it as "expected a string, got an object" instead of calling {@code ip} missing.</li>
 * </ul>
 * The result keeps the body's key order.
 */
public final class Flattener implements Stage<ObjectNode, Map<String, JsonNode>> {

    public static final String DEFAULT_SEPARATOR = "_";

    private final Set<String> scalarFields;
    private final String separator;

    /** A flattener that flattens every nested object. */
    public Flattener() {
        this(Set.of());
    }

    /** @param scalarFields flat names whose object values are kept whole for the schema to reject */
    public Flattener(Set<String> scalarFields) {
        this(scalarFields, DEFAULT_SEPARATOR);
    }

    /**
     * @param scalarFields flat names whose object values are kept whole for the schema to reject
     * @param separator    put between a parent's name and its child's
     */
    public Flattener(Set<String> scalarFields, String separator) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        this.scalarFields = Set.copyOf(scalarFields);
        this.separator = separator;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Outcome<Map<String, JsonNode>> apply(ObjectNode object) {
        // every value of a JSON object is a JsonNode, so every flat value is one
        return (Outcome<Map<String, JsonNode>>) (Outcome<?>) flatten(object.properties());
    }

    /**
     * The members of a record flattened: values that are JSON objects are followed, any other value (a JSON
     * array or scalar, a Java value a processor set) is kept as it is.
     */
    public Outcome<Map<String, Object>> flatten(Iterable<? extends Map.Entry<String, ?>> members) {
        Map<String, Object> flat = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        String collision = flatten("", "", members, flat, origins);
        if (collision != null) {
            return Outcome.reject(collision);
        }
        return Outcome.emit(Collections.unmodifiableMap(flat));
    }

    /**
     * As {@link #flatten(Iterable)} for a record's fields: when none of them is an object to follow, nothing can
     * collide and the fields come back as they are, without building a copy for each event.
     */
    public Outcome<Map<String, Object>> flatten(Map<String, ?> members) {
        for (Map.Entry<String, ?> member : members.entrySet()) {
            if (followed(member.getKey(), member.getValue())) {
                return flatten(members.entrySet());
            }
        }
        return Outcome.emit(Collections.unmodifiableMap(members));
    }

    private boolean followed(String name, Object value) {
        return value instanceof JsonNode node && node.isObject() && !scalarFields.contains(name);
    }

    /** Returns a reject reason on the first collision, null when there is none. */
    private String flatten(String prefix, String pathPrefix, Iterable<? extends Map.Entry<String, ?>> members,
                           Map<String, Object> flat, Map<String, String> origins) {
        for (Map.Entry<String, ?> property : members) {
            String name = prefix + property.getKey();
            String path = pathPrefix + property.getKey();
            Object value = property.getValue();
            if (followed(name, value)) {
                String collision = flatten(name + separator, path + ".", ((JsonNode) value).properties(), flat,
                        origins);
                if (collision != null) {
                    return collision;
                }
                continue;
            }
            String earlier = origins.putIfAbsent(name, path);
            if (earlier != null) {
                return name + ": the keys " + earlier + " and " + path + " both flatten to this name";
            }
            flat.put(name, value);
        }
        return null;
    }

    /** A flat value as sinks store it: strings as themselves, arrays (and everything else) as JSON text. */
    public static String asText(JsonNode value) {
        return value.isString() ? value.stringValue() : value.toString();
    }
}
