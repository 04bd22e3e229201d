package dev.sluice.cli;

import dev.sluice.core.mask.InProcessKms;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice keys} with a KMS key ({@link InProcessKms} as the KMS: the AWS call path is not exercised offline):
 * create wrapped, rotate keeping the wrapping, wrap a cleartext file, unwrap to leave KMS with a warning.
 */
class KeysKmsCommandTest {

    @TempDir
    Path dir;

    @Test
    void createRotateAndUnwrapAWrappedKeyset() throws IOException {
        String kek = InProcessKms.newKey();
        Path file = dir.resolve("keyset.json");

        Cli.Result created = Cli.run("keys", "create", "--file", file.toString(), "--kms-key-uri", kek);

        assertThat(created.exitCode()).as("%s", created).isZero();
        assertThat(created.out()).contains("wrapped by " + kek, Keyset.ENV_KEYSET_KMS_KEY_URI + "=" + kek);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(KeysCommandTest.OWNER_ONLY);
        assertThat(Files.readString(file)).doesNotContain("\"secret\"");
        Keyset first = Keyset.readFrom(file, kek);
        String token = new PiiMasker(first, MaskMode.SIV).mask("203.0.113.7");

        Cli.Result rotated = Cli.run("keys", "rotate", "--file", file.toString());

        assertThat(rotated.exitCode()).as("%s", rotated).isZero();
        assertThat(rotated.out()).contains("wrapped by " + kek);
        assertThat(Keyset.wrappingOf(file)).as("still wrapped").contains(kek);
        Keyset second = Keyset.readFrom(file, kek);
        assertThat(second.keys()).hasSize(2);
        assertThat(new PiiMasker(second, MaskMode.SIV).unmask(token)).isEqualTo("203.0.113.7");

        Path plain = dir.resolve("plain.json");
        Cli.Result unwrapped = Cli.run("keys", "unwrap", "--file", file.toString(), "--out", plain.toString());

        assertThat(unwrapped.exitCode()).as("%s", unwrapped).isZero();
        assertThat(unwrapped.err()).startsWith("warning: " + plain + " holds the keys in cleartext");
        assertThat(Files.getPosixFilePermissions(plain)).isEqualTo(KeysCommandTest.OWNER_ONLY);
        assertThat(Keyset.readFrom(plain).toJson()).isEqualTo(second.toJson());
        assertThat(unwrapped.out() + unwrapped.err()).doesNotContain("\"secret\"");
    }

    @Test
    void wrapMovesACleartextKeysetOntoKms() throws IOException {
        String kek = InProcessKms.newKey();
        Path file = dir.resolve("keyset.json");
        Keyset keys = Keyset.generate();
        keys.writeTo(file);

        Cli.Result wrapped = Cli.run("keys", "wrap", "--file", file.toString(), "--kms-key-uri", kek);

        assertThat(wrapped.exitCode()).as("%s", wrapped).isZero();
        assertThat(Keyset.wrappingOf(file)).contains(kek);
        assertThat(Keyset.readFrom(file, kek).toJson()).isEqualTo(keys.toJson());
    }

    @Test
    void unwrapRefusesACleartextKeysetAndWritesNothing() {
        Path file = dir.resolve("keyset.json");
        Keyset.generate().writeTo(file);
        Path plain = dir.resolve("plain.json");

        Cli.Result refused = Cli.run("keys", "unwrap", "--file", file.toString(), "--out", plain.toString());

        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
        assertThat(refused.err()).contains("is not wrapped by a KMS key");
        assertThat(plain).doesNotExist();
    }
}
