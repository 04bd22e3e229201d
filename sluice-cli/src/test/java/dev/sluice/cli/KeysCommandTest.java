package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice keys new|rotate}: owner-only files, no silent overwrite, rotation keeps old tokens readable. */
class KeysCommandTest {
    static final Set<PosixFilePermission> OWNER_ONLY = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    @TempDir
    Path dir;

    @Test
    void newWritesAnOwnerOnlyKeysetAndNeverPrintsTheSecret() throws IOException {
        Path file = dir.resolve("keyset.json");

        Cli.Result result = Cli.run("keys", "new", "--file", file.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
        Keyset written = Keyset.readFrom(file);
        assertThat(written.keys()).hasSize(1);
        assertThat(result.out()).contains(file.toString()).contains(written.primaryId())
                .doesNotContain("secret");
        for (String line : Files.readAllLines(file)) {
            if (line.contains("\"secret\"")) {
                String secret = line.replaceAll(".*\"secret\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                assertThat(result.out()).doesNotContain(secret);
            }
        }
    }

    @Test
    void newRefusesToOverwriteWithoutForce() throws IOException {
        Path file = dir.resolve("keyset.json");
        assertThat(Cli.run("keys", "new", "--file", file.toString()).exitCode()).isZero();
        String original = Files.readString(file);

        Cli.Result refused = Cli.run("keys", "new", "--file", file.toString());

        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
        assertThat(refused.errLines()).as("%s", refused).singleElement().asString()
                .startsWith("sluice: ").contains(file.toString()).contains("already exists");
        assertThat(Files.readString(file)).as("the keyset is untouched").isEqualTo(original);

        Cli.Result forced = Cli.run("keys", "new", "--file", file.toString(), "--force");

        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(Files.readString(file)).isNotEqualTo(original);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
    }

    @Test
    void rotateAddsANewPrimaryAndTokensFromBeforeStillUnmask() throws IOException {
        Path file = dir.resolve("keyset.json");
        assertThat(Cli.run("keys", "new", "--file", file.toString()).exitCode()).isZero();
        Keyset before = Keyset.readFrom(file);
        String token = new PiiMasker(before, MaskMode.SIV).mask("203.0.113.7");
        String hmacBefore = new PiiMasker(before, MaskMode.HMAC).mask("203.0.113.7");

        Cli.Result result = Cli.run("keys", "rotate", "--file", file.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
        Keyset rotated = Keyset.readFrom(file);
        assertThat(rotated.primaryId()).isNotEqualTo(before.primaryId());
        assertThat(rotated.keys()).hasSize(2).extracting(Keyset.Key::id)
                .containsExactly(before.primaryId(), rotated.primaryId());
        assertThat(result.out()).contains(rotated.primaryId());
        PiiMasker rotatedSiv = new PiiMasker(rotated, MaskMode.SIV);
        assertThat(rotatedSiv.unmask(token)).isEqualTo("203.0.113.7");
        String newToken = rotatedSiv.mask("203.0.113.7");
        assertThat(newToken).startsWith("sv1." + rotated.primaryId() + ".").isNotEqualTo(token);
        assertThat(new PiiMasker(rotated, MaskMode.HMAC).mask("203.0.113.7")).isNotEqualTo(hmacBefore);
    }

    @Test
    void rotateOfAMissingFileIsOneClearLine() {
        Path file = dir.resolve("missing.json");

        Cli.Result result = Cli.run("keys", "rotate", "--file", file.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.errLines()).as("%s", result).singleElement().asString()
                .startsWith("sluice: ").contains(file.toString());
        assertThat(Files.exists(file)).isFalse();
    }
}
