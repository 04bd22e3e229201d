package dev.sluice.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of failed files ends: the recorded-at time and marker of its last record, which order the failure
 * index. Opaque to clients (Base64url), so they pass it back as it is.
 */
record FailuresCursor(long recordedAtMillis, String marker) {

    FailuresCursor {
        Objects.requireNonNull(marker, "marker");
    }

    static FailuresCursor parse(String text) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int newline = decoded.indexOf('\n');
            return new FailuresCursor(Long.parseLong(decoded.substring(0, newline)), decoded.substring(newline + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // NumberFormatException is an IllegalArgumentException; the text is not echoed: it may hold a key.
            throw new IllegalArgumentException("cursor must be the next cursor of a previous page");
        }
    }

    String text() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((recordedAtMillis + "\n" + marker).getBytes(StandardCharsets.UTF_8));
    }
}
