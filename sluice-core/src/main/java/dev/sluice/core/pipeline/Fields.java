package dev.sluice.core.pipeline;

import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pipeline knows, before it starts, about the fields at one point of its processor chain: after a
 * {@code schema} processor exactly the declared fields with their types and limits; before any schema nothing
 * ({@link #UNKNOWN}), so references cannot be checked yet. The assembler walks the chain with it, so a mask of a
 * field that no schema declares, or a sink column mapped to no field, stops the start with the key at fault.
 */
public final class Fields {

    /** Before any schema: any field may be there. */
    public static final Fields UNKNOWN = new Fields(null);

    private final Map<String, FieldSpec> known;

    private Fields(Map<String, FieldSpec> known) {
        this.known = known;
    }

    /** Exactly these fields, in order. */
    public static Fields of(Collection<FieldSpec> fields) {
        Map<String, FieldSpec> known = new LinkedHashMap<>();
        fields.forEach(field -> known.put(field.name(), field));
        return new Fields(known);
    }

    public boolean isKnown() {
        return known != null;
    }

    /** The declared field, when the fields are known and it is one of them. */
    public Optional<FieldSpec> field(String name) {
        return known == null ? Optional.empty() : Optional.ofNullable(known.get(name));
    }

    /** The declared fields in order; empty when unknown. */
    public List<FieldSpec> all() {
        return known == null ? List.of() : List.copyOf(known.values());
    }

    /**
     * Checks that {@code name} can be there; when the fields are known it must be declared.
     *
     * @param key   the setting that names the field, first in the message ({@code "columns.email"})
     * @param needs what the setting needs, e.g. "the mask reads it"
     * @throws IllegalArgumentException naming {@code key}, the field and the fields that are there
     */
    public void require(String key, String name, String needs) {
        if (known != null && !known.containsKey(name)) {
            throw new IllegalArgumentException(key + ": no field '" + name + "' reaches this point (" + needs
                    + "; the fields here are " + String.join(", ", known.keySet()) + ")");
        }
    }

    /** Like {@link #require}, and the field must hold {@code type} when known. */
    public void require(String key, String name, FieldType type, String needs) {
        require(key, name, needs);
        field(name).filter(field -> field.type() != type).ifPresent(field -> {
            throw new IllegalArgumentException(key + ": field '" + name + "' is " + field.type().description()
                    + ", but " + needs + " needs " + type.description());
        });
    }

    /** These fields with {@code field} added or replaced; unknown stays unknown. */
    public Fields with(FieldSpec field) {
        if (known == null) {
            return this;
        }
        Map<String, FieldSpec> more = new LinkedHashMap<>(known);
        more.put(field.name(), field);
        return new Fields(more);
    }

    /** These fields without {@code name}; unknown stays unknown. */
    public Fields without(String name) {
        if (known == null) {
            return this;
        }
        Map<String, FieldSpec> fewer = new LinkedHashMap<>(known);
        fewer.remove(name);
        return new Fields(fewer);
    }

    @Override
    public String toString() {
        return known == null ? "Fields[unknown]" : "Fields" + known.keySet();
    }
}
