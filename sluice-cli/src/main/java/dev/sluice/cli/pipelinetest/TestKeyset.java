package dev.sluice.cli.pipelinetest;

import dev.sluice.core.mask.Keyset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The keyset pipeline tests mask with unless a test names another: one key, id {@value #ID}, whose secret is the
 * SHA-512 of a fixed phrase. It is public by construction, so tokens in test files are the same on every machine and
 * never depend on, or reveal anything of, a real keyset; never use it for real data.
 */
final class TestKeyset {

    static final String ID = "7e57c0de";
    private static final String PHRASE = "sluice pipeline tests: a public key, never for real data";

    private TestKeyset() {
    }

    /** The keyset as {@code SLUICE_KEYSET} would hold it. */
    static String json() {
        String secret = Base64.getEncoder().encodeToString(secret());
        return "{\"primary\": \"" + ID + "\", \"keys\": [{\"id\": \"" + ID + "\","
                + " \"created\": \"2026-01-01T00:00:00Z\", \"secret\": \"" + secret + "\"}]}";
    }

    static Keyset keyset() {
        return Keyset.parse(json(), "the built-in test keyset");
    }

    private static byte[] secret() {
        try {
            return MessageDigest.getInstance("SHA-512").digest(PHRASE.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }
}
