package dev.sluice.cli.pipelinetest;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a test compares: every value a record can hold (the JSON a parser read, a schema's Java values, a source's
 * records such as the objects of an S3 notification) as JSON, so one notation, the test file's YAML, describes them
 * all. Timestamps become ISO 8601 text at their offset with seconds always written ({@code 2026-12-07T09:15:00Z}),
 * dates {@code 2026-12-07}, records objects of their components.
 */
final class Values {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Values() {
    }

    static JsonNode json(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case JsonNode node -> node;
            case String text -> NODES.stringNode(text);
            case Boolean bool -> NODES.booleanNode(bool);
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case BigDecimal number -> NODES.numberNode(number);
            case BigInteger number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case OffsetDateTime time -> NODES.stringNode(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
            case Instant time -> NODES.stringNode(time.toString());
            case LocalDate date -> NODES.stringNode(date.toString());
            case Optional<?> optional -> json(optional.orElse(null));
            case Collection<?> list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(element -> array.add(json(element)));
                yield array;
            }
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((key, element) -> object.set(String.valueOf(key), json(element)));
                yield object;
            }
            case Record record -> {
                ObjectNode object = NODES.objectNode();
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    try {
                        component.getAccessor().setAccessible(true);
                        object.set(component.getName(), json(component.getAccessor().invoke(record)));
                    } catch (ReflectiveOperationException e) {
                        object.put(component.getName(), "(unreadable: " + e.getClass().getSimpleName() + ")");
                    }
                }
                yield object;
            }
            default -> NODES.stringNode(value.toString());
        };
    }

    /** The value as the output shows it: text in quotes, anything else as JSON. */
    static String show(JsonNode value) {
        return JSON.writeValueAsString(value);
    }

    /** The text a text condition ({@code startsWith}, {@code matches}) looks at: a string's own text, else JSON. */
    static String text(JsonNode value) {
        return value.isString() ? value.stringValue() : show(value);
    }

    /**
     * Whether {@code actual} is what {@code expected} says: numbers by value ({@code 12.5} is {@code 12.50}), text
     * that both sides write as a time by the instant it names ({@code 10:15:00+01:00} is {@code 09:15:00Z}), lists
     * element by element, objects key by key; anything else exactly.
     */
    static boolean same(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isString() && actual.isString()) {
            return expected.stringValue().equals(actual.stringValue())
                    || sameInstant(expected.stringValue(), actual.stringValue());
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!same(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isObject() && actual.isObject()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> entry : expected.properties()) {
                JsonNode other = actual.get(entry.getKey());
                if (other == null || !same(entry.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }

    private static boolean sameInstant(String expected, String actual) {
        try {
            return OffsetDateTime.parse(expected).toInstant().equals(OffsetDateTime.parse(actual).toInstant());
        } catch (DateTimeParseException notTimes) {
            return false;
        }
    }
}
