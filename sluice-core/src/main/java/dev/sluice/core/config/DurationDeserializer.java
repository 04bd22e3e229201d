package dev.sluice.core.config;

import java.time.Duration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/** Reads {@link Duration} config values through {@link DurationText}; a bare number is refused (which unit?). */
final class DurationDeserializer extends ValueDeserializer<Duration> {

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            return context.reportInputMismatch(Duration.class, "expected " + DurationText.EXPECTED);
        }
        String text = parser.getString();
        return DurationText.parse(text).orElseThrow(
                () -> context.weirdStringException(text, Duration.class, "expected " + DurationText.EXPECTED));
    }
}
