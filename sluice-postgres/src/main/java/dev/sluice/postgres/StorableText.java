package dev.sluice.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Text that any Postgres {@code text} column takes, for tables that must never refuse a row (error tables): Postgres
 * text cannot hold NUL (SQLState 22021) nor a lone UTF-16 surrogate (not UTF-8), and a value in a btree index must
 * stay under its row limit (about 2.7 KB, SQLState 54000). NUL and lone surrogates become their JSON escape
 * ({@code \u005Cu0000}); {@link #bounded} also cuts an over-long value and marks the cut with the original's length
 * and a hash, so two long values that share their beginning stay distinct in a unique column.
 *
 * <pre>{@code
 * statement.setString(1, StorableText.bounded(messageId, StorableText.MAX_KEY_CHARS));
 * statement.setString(2, StorableText.escaped(rawBody));
 * }</pre>
 */
public final class StorableText {

    /** At most 2 KiB of UTF-8: inside the btree row limit for a unique column. */
    public static final int MAX_KEY_CHARS = 512;
    /** Reasons are ours and short; a longer one is cut. */
    public static final int MAX_REASON_CHARS = 2_000;

    private StorableText() {
    }

    /** {@code value} with NUL and lone surrogates escaped as {@code \u005CuXXXX}; everything else as it is. */
    public static String escaped(String value) {
        if (plain(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** No NUL and no surrogate at all: nothing to escape, the common case (message ids, ASCII reasons). */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #escaped} and at most {@code maxChars} long: a longer value keeps its beginning and ends with
     * {@code …[cut from N chars, sha256 <16 hex>]}.
     */
    public static String bounded(String value, int maxChars) {
        String text = escaped(value);
        if (text.length() <= maxChars) {
            return text;
        }
        String marker = "…[cut from " + value.length() + " chars, sha256 " + sha256(value) + "]";
        int keep = Math.max(0, maxChars - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return text.substring(0, keep) + marker;
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_16BE));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
