package dev.sluice.core.mask;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;

/**
 * Replaces personal values (IP addresses, device ids) with deterministic tokens: equal values give equal tokens, so
 * analysts can still count and join duplicates, but nobody can recover or guess a value without the key. A plain
 * hash would not do: SHA-256 of an IPv4 address is undone by trying all 2^32 addresses.
 *
 * <p>Token format: {@code <mode prefix>.<key id>.<base64url without padding>}, e.g.
 * {@code hm1.3f9a0c12.q5Xv…} ({@link MaskMode#HMAC}, 56 chars for any input) or {@code sv1.3f9a0c12.…}
 * ({@link MaskMode#SIV}: 13 + ⌈4·(16 + n)/3⌉ chars for an n-byte UTF-8 value). The key id lets keys rotate: tokens
 * are made with the keyset's primary key and unmasked with whichever key the token names. For SIV the prefix and
 * key id are bound as associated data, so a token cannot be relabelled to another key.
 *
 * <p>Tokens must fit a {@code varchar(256)} column: SIV values longer than {@value #MAX_SIV_VALUE_BYTES} UTF-8 bytes
 * are refused (128 ASCII characters fit; 128 characters of 3-byte scripts do not).
 *
 * <p>Thread-safe. Exceptions never contain the value or the token.
 *
 * <pre>{@code
 * PiiMasker ips = new PiiMasker(Keyset.fromEnvironment(), MaskMode.SIV);
 * String token = ips.mask("199.172.111.135");   // sv1.3f9a0c12.…
 * String ip = ips.unmask(token);                 // 199.172.111.135
 * }</pre>
 */
public final class PiiMasker {

    /** The longest value (UTF-8 bytes) whose SIV token stays within {@value #MAX_TOKEN_CHARS} chars. */
    public static final int MAX_SIV_VALUE_BYTES = 166;
    public static final int MAX_TOKEN_CHARS = 256;

    private static final int SIV_TAG_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Keyset keyset;
    private final MaskMode mode;

    public PiiMasker(Keyset keyset, MaskMode mode) {
        this.keyset = Objects.requireNonNull(keyset, "keyset");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public MaskMode mode() {
        return mode;
    }

    /**
     * The token of {@code value} under the primary key.
     *
     * @throws IllegalArgumentException in SIV mode for a value over {@value #MAX_SIV_VALUE_BYTES} UTF-8 bytes
     */
    public String mask(String value) {
        Objects.requireNonNull(value, "value");
        KeyMaterial key = keyset.primaryMaterial();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        String header = mode.prefix() + "." + key.id() + ".";
        byte[] body = switch (mode) {
            case HMAC -> key.hmac(bytes);
            case SIV -> {
                if (bytes.length > MAX_SIV_VALUE_BYTES) {
                    throw new IllegalArgumentException("value is " + bytes.length + " bytes in UTF-8; siv tokens fit "
                            + MAX_TOKEN_CHARS + " characters only for values up to " + MAX_SIV_VALUE_BYTES + " bytes");
                }
                try {
                    yield key.siv().encryptDeterministically(bytes, associatedData(header));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("AES-SIV encryption failed with key " + key.id(), e);
                }
            }
        };
        return header + ENCODER.encodeToString(body);
    }

    /**
     * The value behind an SIV token, found with the key the token names (so tokens made before a rotation still
     * unmask).
     *
     * @throws IllegalArgumentException for an HMAC token, a malformed or tampered token
     * @throws KeysetException          when the token's key is not in the keyset
     */
    public String unmask(String token) {
        Objects.requireNonNull(token, "token");
        if (token.startsWith(MaskMode.HMAC.prefix() + ".")) {
            throw new IllegalArgumentException("hmac tokens are one-way and cannot be unmasked");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(MaskMode.SIV.prefix()) || parts[1].isEmpty()) {
            throw new IllegalArgumentException("not a masked token (expected sv1.<key id>.<base64url>)");
        }
        KeyMaterial key = keyset.material(parts[1]);
        byte[] body;
        try {
            body = DECODER.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token is damaged: its data is not base64url");
        }
        if (body.length < SIV_TAG_BYTES) {
            throw new IllegalArgumentException("token is damaged: too short to hold an AES-SIV ciphertext");
        }
        try {
            byte[] plain = key.siv().decryptDeterministically(body, associatedData(parts[0] + "." + parts[1] + "."));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("token was tampered with or damaged: it fails authentication under key "
                    + key.id());
        }
    }

    private static byte[] associatedData(String header) {
        return header.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "PiiMasker[" + mode + ", " + keyset + "]";
    }
}
