package dev.sluice.core.process;

import java.math.BigDecimal;
import java.math.BigInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Record values as JSON and back: a schema reads JSON, and a processor before it may have set Java values. */
public final class JsonValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {
    }

    /** {@code value} as the JSON a producer would have sent; times as their ISO text. */
    public static JsonNode toJson(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case JsonNode node -> node;
            case String text -> NODES.stringNode(text);
            case Boolean bool -> NODES.booleanNode(bool);
            case Long number -> NODES.numberNode(number);
            case Integer number -> NODES.numberNode(number);
            case BigInteger number -> NODES.numberNode(number);
            case BigDecimal number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            default -> NODES.stringNode(value.toString());
        };
    }

    /**
     * {@code value} in the Java types a comparison needs: text as {@link String}, every number as a
     * {@link BigDecimal}, booleans as {@link Boolean}, JSON null as null; anything else (an array, an object, a time)
     * as it is.
     */
    static Object plain(Object value) {
        if (value instanceof JsonNode node) {
            if (node.isString()) {
                return node.stringValue();
            }
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.isNull() ? null : node;
        }
        return switch (value) {
            case Long number -> BigDecimal.valueOf(number);
            case Integer number -> BigDecimal.valueOf(number);
            case BigInteger number -> new BigDecimal(number);
            case Double number -> new BigDecimal(number.toString());
            case Float number -> new BigDecimal(number.toString());
            case null, default -> value;
        };
    }
}
