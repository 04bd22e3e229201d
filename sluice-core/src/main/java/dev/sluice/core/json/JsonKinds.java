package dev.sluice.core.json;

import tools.jackson.databind.JsonNode;

/** How reject reasons name a JSON value's kind, never its content: "a string", "an object". */
public final class JsonKinds {

    private JsonKinds() {
    }

    public static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case MISSING -> "nothing";
            case BINARY, POJO -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
        };
    }
}
