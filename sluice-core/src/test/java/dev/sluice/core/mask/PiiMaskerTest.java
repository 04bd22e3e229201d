package dev.sluice.core.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PiiMaskerTest {

    private final Keyset keyset = Keyset.generate();
    private final PiiMasker hmac = new PiiMasker(keyset, MaskMode.HMAC);
    private final PiiMasker siv = new PiiMasker(keyset, MaskMode.SIV);

    @Test
    void equalInputsGiveEqualTokensAndDifferentInputsDifferentOnes() {
        for (PiiMasker masker : List.of(hmac, siv)) {
            assertThat(masker.mask("199.172.111.135")).isEqualTo(masker.mask("199.172.111.135"));
            assertThat(masker.mask("199.172.111.135")).isNotEqualTo(masker.mask("199.172.111.136"));
            assertThat(masker.mask("")).isNotEqualTo(masker.mask(" "));
        }
        assertThat(hmac.mask("x")).isNotEqualTo(siv.mask("x"));
    }

    @Test
    void tokensNameTheModeAndTheKey() {
        String id = keyset.primaryId();
        assertThat(hmac.mask("593-47-5928")).matches("hm1\\." + id + "\\.[A-Za-z0-9_-]{43}");
        assertThat(siv.mask("593-47-5928")).matches("sv1\\." + id + "\\.[A-Za-z0-9_-]+");
        assertThat(siv.mask("593-47-5928")).doesNotContain("593");
    }

    @Test
    void sivRoundTripsAsciiUnicodeAndIpv6() {
        for (String value : List.of("199.172.111.135", "2001:db8::8a2e:370:7334", "Zoë 東京 😀", "", "a.b.c")) {
            assertThat(siv.unmask(siv.mask(value))).isEqualTo(value);
        }
    }

    @Test
    void aKeysetReadBackFromJsonMakesAndUnmasksTheSameTokens() {
        Keyset copy = Keyset.parse(keyset.toJson(), "test");

        assertThat(new PiiMasker(copy, MaskMode.HMAC).mask("v")).isEqualTo(hmac.mask("v"));
        assertThat(new PiiMasker(copy, MaskMode.SIV).unmask(siv.mask("v"))).isEqualTo("v");
    }

    @Test
    void rotationKeepsOldTokensUnmaskableAndMakesNewOnesWithTheNewKey() {
        String old = siv.mask("199.172.111.135");
        String oldHmac = hmac.mask("199.172.111.135");
        Keyset rotated = keyset.rotate();
        PiiMasker sivAfter = new PiiMasker(rotated, MaskMode.SIV);

        assertThat(rotated.primaryId()).isNotEqualTo(keyset.primaryId());
        assertThat(rotated.keys()).hasSize(2);
        assertThat(sivAfter.unmask(old)).isEqualTo("199.172.111.135");
        String fresh = sivAfter.mask("199.172.111.135");
        assertThat(fresh).startsWith("sv1." + rotated.primaryId() + ".").isNotEqualTo(old);
        assertThat(new PiiMasker(rotated, MaskMode.HMAC).mask("199.172.111.135"))
                .startsWith("hm1." + rotated.primaryId() + ".").isNotEqualTo(oldHmac);
    }

    @Test
    void unmaskExplainsWhatIsWrongWithoutShowingTheToken() {
        String token = siv.mask("10.0.0.1");
        String other = new PiiMasker(Keyset.generate(), MaskMode.SIV).mask("10.0.0.1");
        String unknownId = other.split("\\.")[1];

        assertThatThrownBy(() -> siv.unmask(hmac.mask("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hmac tokens are one-way and cannot be unmasked");
        assertThatThrownBy(() -> siv.unmask(other))
                .isInstanceOf(KeysetException.class)
                .hasMessageStartingWith("key " + unknownId + " is not in this keyset");
        assertThatThrownBy(() -> siv.unmask("10.0.0.1"))
                .hasMessage("not a masked token (expected sv1.<key id>.<base64url>)");
        assertThatThrownBy(() -> siv.unmask(token.substring(0, token.length() - 1) + flip(token.charAt(token.length() - 1))))
                .hasMessage("token was tampered with or damaged: it fails authentication under key " + keyset.primaryId())
                .hasMessageNotContaining(token);
        assertThatThrownBy(() -> siv.unmask(token + "!"))
                .hasMessage("token is damaged: its data is not base64url");
        assertThatThrownBy(() -> siv.unmask("sv1." + keyset.primaryId() + ".AAAA"))
                .hasMessage("token is damaged: too short to hold an AES-SIV ciphertext");
    }

    @Test
    void aTokenCannotBeRelabelledToAnotherKey() {
        Keyset rotated = keyset.rotate();
        PiiMasker masker = new PiiMasker(rotated, MaskMode.SIV);
        String token = masker.mask("x");
        String relabelled = token.replace("." + rotated.primaryId() + ".", "." + keyset.primaryId() + ".");

        assertThatThrownBy(() -> masker.unmask(relabelled)).hasMessageStartingWith("token was tampered with");
    }

    private static char flip(char c) {
        return c == 'A' ? 'B' : 'A';
    }

    @Test
    void tokensOfValuesUpTo128AsciiCharsFitVarchar256() {
        String longest = "x".repeat(128);
        assertThat(hmac.mask(longest)).hasSizeLessThanOrEqualTo(256);
        assertThat(siv.mask(longest)).hasSizeLessThanOrEqualTo(256);
        assertThat(siv.mask("é".repeat(PiiMasker.MAX_SIV_VALUE_BYTES / 2))).hasSize(256);
        assertThat(siv.mask("x".repeat(PiiMasker.MAX_SIV_VALUE_BYTES))).hasSize(256);
    }

    @Test
    void sivRefusesValuesWhoseTokenWouldNotFitWithoutQuotingThem() {
        String secretLike = "東".repeat(128);

        assertThatThrownBy(() -> siv.mask(secretLike))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value is 384 bytes in UTF-8; siv tokens fit 256 characters only for values up to 166 bytes");
        assertThat(hmac.mask(secretLike)).hasSize(56);
    }

    @Test
    void isSafeToShareBetweenThreads() {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 20_000).parallel().forEach(i -> {
            String value = "10.0." + (i % 50) + ".1";
            tokens.add(hmac.mask(value));
            assertThat(siv.unmask(siv.mask(value))).isEqualTo(value);
        });
        assertThat(tokens).hasSize(50);
    }

    @Test
    void toStringShowsNoSecrets() {
        String json = keyset.toJson();
        String secret = json.replaceAll("(?s).*\"secret\" : \"([^\"]+)\".*", "$1");

        assertThat(Base64.getDecoder().decode(secret)).hasSize(64);
        assertThat(keyset.toString()).contains(keyset.primaryId()).doesNotContain(secret);
        assertThat(siv.toString()).doesNotContain(secret);
    }
}
