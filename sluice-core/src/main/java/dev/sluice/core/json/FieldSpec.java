package dev.sluice.core.json;

import java.util.Objects;
import java.util.Optional;

/**
 * What one field of a {@link RecordSchema} must look like. Fields are required and non-null unless said otherwise,
 * because a pipeline that silently stores holes is worse than one that rejects loudly.
 *
 * <pre>{@code
 * FieldSpec.string("locale").nullable().maxLength(32)
 * FieldSpec.string("ip").format(IpAddressFormat.INSTANCE)
 * FieldSpec.of("retries", FieldType.INTEGER).optional()
 * }</pre>
 *
 * @param name        the flat field name, as produced by {@link Flattener}
 * @param required    whether the field must be present
 * @param nullAllowed whether JSON {@code null} is accepted
 * @param maxLength   the longest accepted string in chars (UTF-16 units), or 0 for no limit; strings only
 * @param format      an extra check on string values, or null
 */
public record FieldSpec(String name, FieldType type, boolean required, boolean nullAllowed, int maxLength,
                        FieldFormat format) {

    public FieldSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a field name must not be empty");
        }
        if (maxLength < 0) {
            throw new IllegalArgumentException(name + ": maxLength must be 0 (no limit) or positive, got " + maxLength);
        }
        if (type != FieldType.STRING && (maxLength != 0 || format != null)) {
            throw new IllegalArgumentException(name + ": maxLength and format apply to STRING fields only");
        }
    }

    /** A required, non-null field of {@code type}. */
    public static FieldSpec of(String name, FieldType type) {
        return new FieldSpec(name, type, true, false, 0, null);
    }

    /** A required, non-null string field without length limit or format. */
    public static FieldSpec string(String name) {
        return of(name, FieldType.STRING);
    }

    /** This field, allowed to be absent from the body (it is then absent from the record). */
    public FieldSpec optional() {
        return new FieldSpec(name, type, false, nullAllowed, maxLength, format);
    }

    /** This field, allowed to be JSON {@code null} (the record then holds null). */
    public FieldSpec nullable() {
        return new FieldSpec(name, type, required, true, maxLength, format);
    }

    /** This field under another name (a rename, a copy). */
    public FieldSpec named(String other) {
        return new FieldSpec(other, type, required, nullAllowed, maxLength, format);
    }

    public FieldSpec maxLength(int chars) {
        return new FieldSpec(name, type, required, nullAllowed, chars, format);
    }

    public FieldSpec format(FieldFormat check) {
        return new FieldSpec(name, type, required, nullAllowed, maxLength, Objects.requireNonNull(check, "check"));
    }

    Optional<FieldFormat> formatCheck() {
        return Optional.ofNullable(format);
    }
}
