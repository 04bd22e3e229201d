package dev.sluice.core.json;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * First stage of a JSON pipeline: turns a message body into a JSON object, or rejects it with a reason that says
 * what is wrong and where, without quoting the body (it may hold personal data; the raw body is kept by the error
 * sink anyway).
 *
 * <p>Rules: the body must be at most {@code maxBodyBytes} bytes in UTF-8, be one well-formed JSON value with nothing
 * after it, have no key twice in one object (a second {@code "ip"} would otherwise silently win), and be an object.
 * Decimal numbers are kept exactly ({@link java.math.BigDecimal}), never rounded through {@code double}.
 *
 * <pre>{@code
 * Stage<String, Map<String, Object>> logins = new JsonObjectParser(65_536).then(new Flattener()).then(schema);
 * }</pre>
 */
public final class JsonObjectParser implements Stage<String, ObjectNode> {

    /** The SQS message size limit, a sensible default for queue bodies. */
    public static final int DEFAULT_MAX_BODY_BYTES = 262_144;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final int maxBodyBytes;

    public JsonObjectParser(int maxBodyBytes) {
        if (maxBodyBytes < 2) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 2 (the size of {}), got " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    public JsonObjectParser() {
        this(DEFAULT_MAX_BODY_BYTES);
    }

    @Override
    public Outcome<ObjectNode> apply(String body) {
        long bytes = utf8Length(body, maxBodyBytes);
        if (bytes > maxBodyBytes) {
            return Outcome.reject("body: " + bytes + " bytes exceeds the limit of " + maxBodyBytes);
        }
        if (body.isBlank()) {
            return Outcome.reject("body: empty, expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return Outcome.reject("body: " + problem(e) + where(e.getLocation()));
        }
        if (node instanceof ObjectNode object) {
            return Outcome.emit(object);
        }
        return Outcome.reject("body: expected a JSON object, got " + JsonKinds.describe(node));
    }

    /** Jackson's own messages quote the offending input, so only the kind of problem is taken from them. */
    private static String problem(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Duplicate")) {
            return "a key appears twice in one object";
        }
        if (message.startsWith("Trailing token")) {
            return "more than one JSON value";
        }
        return "not valid JSON";
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * The UTF-8 length of {@code text}, counted without encoding it. When even three bytes per char stay within
     * {@code limit} the char count is returned instead: the body passes, and the figure is never shown.
     */
    static long utf8Length(String text, int limit) {
        if ((long) text.length() * 3 <= limit) {
            return text.length();
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
