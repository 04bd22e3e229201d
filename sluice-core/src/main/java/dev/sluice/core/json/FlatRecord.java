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
 * {@link #toBuilder} starts a changed copy, which is how later stages (masking, enrichment) replace values.
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

    /** A builder that starts empty. */
    public static Builder builder() {
        return new Builder(Map.of());
    }

    /** A builder that starts with this record's fields: a processor changes what it needs, then builds once. */
    public Builder toBuilder() {
        return new Builder(values);
    }

    /**
     * A record made field by field in one map, which {@link #build()} hands over without copying it again: a
     * processor that sets several fields of each event copies the record once, not once per field.
     */
    public static final class Builder {

        private Map<String, Object> values;

        private Builder(Map<String, ?> start) {
            this.values = new LinkedHashMap<>(start);
        }

        /** Sets {@code field}: replaced in place if present, appended otherwise; null values are allowed. */
        public Builder set(String field, Object value) {
            open().put(Objects.requireNonNull(field, "field name"), value);
            return this;
        }

        public boolean has(String field) {
            return open().containsKey(field);
        }

        /** The value of {@code field}, null when it is null or absent ({@link #has} tells which). */
        public Object get(String field) {
            return open().get(field);
        }

        /** The record; the builder cannot be used after, so the record stays immutable. */
        public FlatRecord build() {
            FlatRecord record = new FlatRecord(Collections.unmodifiableMap(open()), true);
            values = null;
            return record;
        }

        private Map<String, Object> open() {
            if (values == null) {
                throw new IllegalStateException("this builder already built its record");
            }
            return values;
        }
    }

    /** Takes {@code values} as they are: a builder's map, handed over once. */
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
