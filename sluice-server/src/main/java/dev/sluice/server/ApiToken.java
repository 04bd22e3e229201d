package dev.sluice.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The bearer token every data endpoint of the {@link ApiServer} requires ({@code Authorization: Bearer <token>}).
 *
 * <p>It comes from the environment variable {@value #ENVIRONMENT_VARIABLE} when that is set, so a deployment keeps
 * one token across restarts; otherwise a random one is generated at start and {@link #generated()} says so, so that
 * {@code sluice run} can print it once for the user. {@link #toString()} never shows it, so a token that reaches a
 * log line by accident stays secret.
 */
public final class ApiToken {

    public static final String ENVIRONMENT_VARIABLE = "SLUICE_API_TOKEN";
    /** Shorter tokens could be guessed; a generated one has 43 characters (32 random bytes). */
    public static final int MIN_LENGTH = 16;

    private static final int GENERATED_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private final byte[] digest;
    private final boolean generated;

    private ApiToken(String value, boolean generated) {
        this.value = value;
        this.digest = sha256(value);
        this.generated = generated;
    }

    /**
     * The token of {@value #ENVIRONMENT_VARIABLE} in {@code environment} (e.g. {@code System.getenv()}), or a
     * generated one when it is not set or empty.
     *
     * @throws IllegalArgumentException when the variable is set but breaks the rules of {@link #of}; the message
     *                                  names the variable and the rule, never the value
     */
    public static ApiToken fromEnvironment(Map<String, String> environment) {
        String value = environment.get(ENVIRONMENT_VARIABLE);
        if (value == null || value.isEmpty()) {
            return generate();
        }
        return of(value);
    }

    /**
     * A token the caller chose.
     *
     * @throws IllegalArgumentException when it has fewer than {@value #MIN_LENGTH} characters, or whitespace or
     *                                  control characters (they do not survive an HTTP header)
     */
    public static ApiToken of(String value) {
        Objects.requireNonNull(value, ENVIRONMENT_VARIABLE + " is required");
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " must be at least " + MIN_LENGTH
                    + " characters long, it has " + value.length());
        }
        if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE
                    + " must not contain whitespace or control characters");
        }
        return new ApiToken(value, false);
    }

    /** 32 random bytes from {@link SecureRandom}, base64url without padding. */
    public static ApiToken generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        return new ApiToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true);
    }

    /** Whether this token was generated rather than taken from the environment: then the user must be told it. */
    public boolean generated() {
        return generated;
    }

    /** The token itself, to show the user once; never log it. */
    public String value() {
        return value;
    }

    /**
     * Whether {@code presented} is this token. Both are hashed first and the digests compared with
     * {@link MessageDigest#isEqual}, so the time taken reveals neither how many leading characters matched nor the
     * token's length.
     */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    @Override
    public String toString() {
        return "ApiToken[***" + (generated ? ", generated" : "") + "]";
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
