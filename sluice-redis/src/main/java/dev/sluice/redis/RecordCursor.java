package dev.sluice.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of records (failed files, rejected notifications) ends: the recorded-at time and id of its last index
 * entry, which order the index. Opaque to clients (Base64url), so they pass it back as it is.
 */
record RecordCursor(long recordedAtMillis, String id) {

    RecordCursor {
        Objects.requireNonNull(id, "id");
    }

    static RecordCursor parse(String text) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int newline = decoded.indexOf('\n');
            return new RecordCursor(Long.parseLong(decoded.substring(0, newline)), decoded.substring(newline + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // NumberFormatException is an IllegalArgumentException; the text is not echoed: it may hold a key.
            throw new IllegalArgumentException("cursor must be the next cursor of a previous page");
        }
    }

    String text() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((recordedAtMillis + "\n" + id).getBytes(StandardCharsets.UTF_8));
    }
}
