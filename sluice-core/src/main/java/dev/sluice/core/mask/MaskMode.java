package dev.sluice.core.mask;

/**
 * How a {@link PiiMasker} turns a value into a token. Both are deterministic (equal values give equal tokens, so
 * duplicates stay findable) and keyed (without the key, enumerating candidate values finds nothing).
 */
public enum MaskMode {
    /** HMAC-SHA256: one-way. Tokens are {@code hm1.<keyId>.<43 base64url chars>} whatever the input length. */
    HMAC("hm1"),
    /**
     * AES-SIV (RFC 5297) deterministic encryption: recoverable with the key ({@link PiiMasker#unmask}). Tokens are
     * {@code sv1.<keyId>.<base64url of 16-byte SIV + ciphertext>}, growing with the input.
     */
    SIV("sv1");

    private final String prefix;

    MaskMode(String prefix) {
        this.prefix = prefix;
    }

    /** The token prefix, which also versions the token format. */
    public String prefix() {
        return prefix;
    }
}
