package dev.sluice.core.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Why Sluice masks with keys: a demonstration, cited by the docs, on the /16 around one address of the login
 * fixture (2^16 candidates, so it runs in well under a second). The control proves the enumeration works on an
 * unkeyed hash; the same enumeration then finds nothing for HMAC and SIV tokens, neither with plain SHA-256 nor with
 * HMAC under a wrong key. (Across all 2^32 IPv4 addresses the control would take minutes on a laptop.)
 */
class BruteForceResistanceTest {

    private static final String IP = "199.172.111.135";

    /** Every address 199.172.x.y, in the encoding the attacker guesses, compared with {@code target}. */
    private static String enumerate16(String target, Guess guess) throws Exception {
        for (int x = 0; x < 256; x++) {
            for (int y = 0; y < 256; y++) {
                String candidate = "199.172." + x + "." + y;
                if (guess.tokenOf(candidate).equals(target)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Guess {
        String tokenOf(String candidate) throws Exception;
    }

    private static String sha256Hex(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256Base64Url(String value) throws Exception {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String data(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }

    @Test
    void control_unkeyedSha256OfAnIpv4AddressIsFoundByEnumeratingItsSlash16() throws Exception {
        String unkeyed = sha256Hex(IP);

        assertThat(enumerate16(unkeyed, BruteForceResistanceTest::sha256Hex)).isEqualTo(IP);
    }

    @Test
    void hmacAndSivTokensAreNotFoundByEnumeratingTheSameSlash16() throws Exception {
        Keyset key = Keyset.generate();
        Keyset wrongKey = Keyset.generate();
        PiiMasker wrongHmac = new PiiMasker(wrongKey, MaskMode.HMAC);

        for (MaskMode mode : MaskMode.values()) {
            String token = new PiiMasker(key, mode).mask(IP);
            String tokenData = data(token);

            assertThat(enumerate16(tokenData, BruteForceResistanceTest::sha256Base64Url)).as("%s vs SHA-256", mode).isNull();
            assertThat(enumerate16(tokenData, BruteForceResistanceTest::sha256Hex)).as("%s vs SHA-256 hex", mode).isNull();
            assertThat(enumerate16(tokenData, candidate -> data(wrongHmac.mask(candidate))))
                    .as("%s vs HMAC under a wrong key", mode).isNull();
            assertThat(enumerate16(token, candidate -> wrongHmac.mask(candidate))).isNull();
        }
    }
}
