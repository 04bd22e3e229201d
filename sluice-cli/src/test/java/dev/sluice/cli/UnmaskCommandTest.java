package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice unmask --keyset F TOKEN}: siv tokens give their value back; nothing else leaks it. */
class UnmaskCommandTest {
    static final String DEVICE_ID = "123-45-6789";

    @TempDir
    Path dir;
    Path keysetFile;
    Keyset keys;

    @BeforeEach
    void keyset() {
        keysetFile = dir.resolve("keyset.json");
        keys = Keyset.generate();
        keys.writeTo(keysetFile);
    }

    @Test
    void anSivTokenPrintsTheOriginal() {
        String token = new PiiMasker(keys, MaskMode.SIV).mask(DEVICE_ID);
        assertThat(token).startsWith("sv1.");

        Cli.Result result = Cli.run("unmask", "--keyset", keysetFile.toString(), token);

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.outLines()).containsExactly(DEVICE_ID);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void anHmacTokenIsOneWay() {
        String token = new PiiMasker(keys, MaskMode.HMAC).mask(DEVICE_ID);
        assertThat(token).startsWith("hm1.");

        Cli.Result result = Cli.run("unmask", "--keyset", keysetFile.toString(), token);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("sluice: hmac tokens are one-way and cannot be unmasked");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aTamperedTokenIsAClearErrorThatNeverShowsTheValue() {
        String token = new PiiMasker(keys, MaskMode.SIV).mask(DEVICE_ID);
        int middle = token.lastIndexOf('.') + 5;
        String tampered = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A')
                + token.substring(middle + 1);

        Cli.Result result = Cli.run("unmask", "--keyset", keysetFile.toString(), tampered);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("sluice: ").contains("tampered").contains(keys.primaryId());
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).doesNotContain(DEVICE_ID).doesNotContain("45-6789");
    }

    @Test
    void aTokenFromAnotherKeysetNamesTheKeyNotTheValue() {
        String foreign = new PiiMasker(Keyset.generate(), MaskMode.SIV).mask(DEVICE_ID);

        Cli.Result result = Cli.run("unmask", "--keyset", keysetFile.toString(), foreign);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("sluice: ").contains("is not in this keyset").contains(keys.primaryId());
        assertThat(result.err()).doesNotContain(DEVICE_ID);
        assertThat(result.out()).isEmpty();
    }
}
