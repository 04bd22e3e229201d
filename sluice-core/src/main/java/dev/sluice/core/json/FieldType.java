package dev.sluice.core.json;

/**
 * The kinds a schema field can require, and the Java type each becomes in a {@link FlatRecord}: STRING →
 * {@link String}, INTEGER → {@link Long} (integral JSON numbers that fit a long; {@code 1.0} is not one), NUMBER →
 * {@link java.math.BigDecimal} (exact, any JSON number), DOUBLE → {@link Double} (any finite JSON number, rounded to
 * the nearest 64-bit float: for columns that readers want as floating point, such as Unix seconds), BOOLEAN → {@link Boolean}, TIMESTAMP →
 * {@link java.time.OffsetDateTime} at UTC (the text forms of {@link Timestamps}, or a JSON integer of epoch
 * milliseconds), DATE → {@link java.time.LocalDate} ({@code YYYY-MM-DD}).
 *
 * <p>A timestamp is an {@code OffsetDateTime} at offset zero rather than an {@code Instant} because JDBC drivers
 * (pgjdbc among them) bind the former as {@code timestamptz} and refuse the latter.
 */
public enum FieldType {
    STRING("a string"),
    INTEGER("an integer"),
    NUMBER("a number"),
    DOUBLE("a number"),
    BOOLEAN("a boolean"),
    TIMESTAMP("a timestamp"),
    DATE("a date");

    private final String description;

    FieldType(String description) {
        this.description = description;
    }

    /** How reject reasons name this type: "a string", "an integer". */
    public String description() {
        return description;
    }
}
