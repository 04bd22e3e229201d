package dev.sluice.core.json;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A flat record: field name → value, in order. After a schema the values are Java values ({@link String},
 * {@link Long}, {@link BigDecimal}, {@link Boolean}, {@link OffsetDateTime} at UTC, {@link LocalDate}, or null for
 * a nullable field sent as null, as {@link FieldType} says); before one, the JSON values a parser read. Immutable;
 * {@link #with} makes a changed copy, which is how later stages (masking, enrichment) replace values.
 *
 * <p>{@link #toString()} shows field names only: records hold personal data until they are masked.
 */
public final class FlatRecord {

    private final Map<String, Object> values;

    /** {@code values} is copied; null values are allowed, null keys are not. */
    public FlatRecord(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "field name"), value));
        this.values = Collections.unmodifiableMap(copy);
    }

    /** All fields in order; unmodifiable. */
    public Map<String, Object> values() {
        return values;
    }

    public boolean has(String field) {
        return values.containsKey(field);
    }

    public String string(String field) {
        return get(field, String.class);
    }

    public Long integer(String field) {
        return get(field, Long.class);
    }

    public BigDecimal number(String field) {
        return get(field, BigDecimal.class);
    }

    public Boolean bool(String field) {
        return get(field, Boolean.class);
    }

    public OffsetDateTime timestamp(String field) {
        return get(field, OffsetDateTime.class);
    }

    public LocalDate date(String field) {
        return get(field, LocalDate.class);
    }

    /** A copy with {@code field} set to {@code value}: replaced in place if present, appended otherwise. */
    public FlatRecord with(String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(Objects.requireNonNull(field, "field name"), value);
        return new FlatRecord(Collections.unmodifiableMap(copy), true);
    }

    /**
     * A copy with every field of {@code changes} set (replaced in place, or appended in their order), made in one
     * pass: a processor that changes several fields of each event calls this once, not {@link #with} per field.
     */
    public FlatRecord withAll(Map<String, ?> changes) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        changes.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "field name"), value));
        return new FlatRecord(Collections.unmodifiableMap(copy), true);
    }

    /** Takes {@code values} as they are: the caller made them an unmodifiable copy of its own. */
    private FlatRecord(Map<String, Object> values, boolean owned) {
        this.values = values;
    }

    private <T> T get(String field, Class<T> type) {
        if (!values.containsKey(field)) {
            throw new IllegalArgumentException("no field " + field + " in this record (fields: " + values.keySet() + ")");
        }
        Object value = values.get(field);
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException(field + " holds a " + value.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FlatRecord record && values.equals(record.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "FlatRecord" + values.keySet();
    }
}
