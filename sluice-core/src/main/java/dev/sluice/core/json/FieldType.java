package dev.sluice.core.json;

/**
 * The JSON kinds a schema field can require, and the Java type each becomes in a {@link FlatRecord}: STRING →
 * {@link String}, INTEGER → {@link Long} (integral JSON numbers that fit a long; {@code 1.0} is not one), NUMBER →
 * {@link java.math.BigDecimal} (exact, any JSON number), BOOLEAN → {@link Boolean}.
 */
public enum FieldType {
    STRING("a string"),
    INTEGER("an integer"),
    NUMBER("a number"),
    BOOLEAN("a boolean");

    private final String description;

    FieldType(String description) {
        this.description = description;
    }

    /** How reject reasons name this type: "a string", "an integer". */
    public String description() {
        return description;
    }
}
