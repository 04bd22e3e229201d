package dev.sluice.aws.s3;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Object keys as S3 writes them into event notifications: {@code application/x-www-form-urlencoded} UTF-8, so a
 * space is {@code +}, a plus is {@code %2B} and {@code é} is {@code %C3%A9}; except that {@code /} is left as it is.
 *
 * <p>AWS documents only the form encoding ("red flower.jpg" becomes "red+flower.jpg", see
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html). That {@code /} stays
 * unencoded is what real notifications show (e.g. CloudTrail keys {@code AWSLogs/111111111111/CloudTrail/…}) and
 * what https://github.com/minio/minio/issues/11665 reports; which other punctuation AWS leaves alone is not
 * documented. Decoding does not depend on it: any character that is not {@code +} or a {@code %xx} escape is taken
 * literally, so {@code a/b} and {@code a%2Fb} both decode to {@code a/b}.
 */
public final class S3KeyEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String UNPAIRED_SURROGATE = "holds an unpaired surrogate, which is not valid UTF-8";

    private S3KeyEncoding() {
    }

    /**
     * The key as S3 puts it in a notification. Letters, digits, {@code . - _ *} and {@code /} stay; a space becomes
     * {@code +}; every other character becomes its UTF-8 bytes as upper-case {@code %XX}, as
     * {@link java.net.URLEncoder} does.
     *
     * @throws IllegalArgumentException if the key holds an unpaired surrogate (S3 keys are valid UTF-8)
     */
    public static String encode(String key) {
        StringBuilder out = new StringBuilder(key.length() + 16);
        for (int i = 0; i < key.length(); ) {
            int c = key.codePointAt(i);
            i += Character.charCount(c);
            if (isKeptAsIs(c)) {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else if (Character.getType(c) == Character.SURROGATE) {
                throw new IllegalArgumentException(UNPAIRED_SURROGATE);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
        }
        return out.toString();
    }

    /**
     * The key a notification names: {@code +} is a space, {@code %xx} is a byte, and the bytes are UTF-8.
     *
     * @throws IllegalArgumentException naming the rule (never the key) when a {@code %} is not followed by two hex
     *                                  digits, the decoded bytes are not UTF-8, or the text holds an unpaired
     *                                  surrogate
     */
    public static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); ) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 1 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("malformed percent-escape at character " + (i + 1)
                            + ", expected % and two hex digits");
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else if (c == '+') {
                bytes.write(' ');
                i++;
            } else {
                int codePoint = encoded.codePointAt(i);
                if (Character.getType(codePoint) == Character.SURROGATE) {
                    throw new IllegalArgumentException(UNPAIRED_SURROGATE);
                }
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-escapes do not form valid UTF-8", e);
        }
    }

    private static boolean isKeptAsIs(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_' || c == '*' || c == '/';
    }
}
