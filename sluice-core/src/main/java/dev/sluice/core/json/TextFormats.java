package dev.sluice.core.json;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Format checks of string fields beside {@link IpAddressFormat}, {@link VersionNumber#FORMAT} and
 * {@link Timestamps#FORMAT}.
 */
public final class TextFormats {

    /** The longest identifier {@link #IDENTIFIER} accepts: 256 characters are at most 1 KiB of UTF-8. */
    public static final int MAX_IDENTIFIER_CHARS = 256;

    /** One or more ASCII digits (a card number, a numeric id kept as text): no sign, space or separator. */
    public static final FieldFormat DIGITS = text -> {
        if (text.isEmpty()) {
            return Optional.of("expected one or more digits 0-9, got an empty string");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return Optional.of("expected only digits 0-9, found another character at position " + i);
            }
        }
        return Optional.empty();
    };

    /**
     * An event id a store can key on (schema {@code format: uuid}, the lake's {@code event_uuid} rules): not empty,
     * at most {@value #MAX_IDENTIFIER_CHARS} characters, no control character (U+0000-U+001F, U+007F-U+009F, which
     * Postgres or a log line cannot take) and no unpaired surrogate (not UTF-8). The 8-4-4-4-12 hex shape is not
     * required: producers' ids ({@code u-1}, ULIDs) are keys just as well.
     */
    public static final FieldFormat IDENTIFIER = TextFormats::identifierProblem;

    private TextFormats() {
    }

    /** Exactly one of {@code values} (case-sensitive); the reject lists them, since they come from the config. */
    public static FieldFormat oneOf(List<String> values) {
        Set<String> allowed = Set.copyOf(values);
        String rule = "expected one of " + String.join(", ", values);
        return text -> allowed.contains(text) ? Optional.empty() : Optional.of(rule);
    }

    private static Optional<String> identifierProblem(String key) {
        if (key.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (key.length() > MAX_IDENTIFIER_CHARS) {
            return Optional.of("longer than " + MAX_IDENTIFIER_CHARS + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of("must not contain a control character (U+0000-U+001F, U+007F-U+009F), found one"
                        + " at position " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must be valid Unicode, found an unpaired surrogate at position " + i);
            }
        }
        return Optional.empty();
    }
}
