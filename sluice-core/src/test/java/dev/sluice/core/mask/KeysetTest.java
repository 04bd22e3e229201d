package dev.sluice.core.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysetTest {

    @TempDir
    Path directory;

    @Test
    void writesAnOwnerOnlyFileAndReadsItBack() throws Exception {
        Keyset keyset = Keyset.generate();
        Path file = directory.resolve("keyset.json");

        keyset.writeTo(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Keyset read = Keyset.readFrom(file);
        assertThat(read.primaryId()).isEqualTo(keyset.primaryId());
        assertThat(read.keys()).isEqualTo(keyset.keys());
        assertThat(new PiiMasker(read, MaskMode.HMAC).mask("a")).isEqualTo(new PiiMasker(keyset, MaskMode.HMAC).mask("a"));
    }

    @Test
    void refusesAFileThatGroupOrOthersCanRead() throws Exception {
        Path file = directory.resolve("keyset.json");
        Keyset.generate().writeTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> Keyset.readFrom(file))
                .isInstanceOf(KeysetException.class)
                .hasMessage("keyset file " + file + " must not be readable by group or others (chmod 600 " + file + ")");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> Keyset.readFrom(file)).hasMessageContaining("must not be readable by group or others");
    }

    @Test
    void refusesToOverwriteUnlessAskedAndThenReplacesAtomically() throws Exception {
        Path file = directory.resolve("keyset.json");
        Keyset first = Keyset.generate();
        first.writeTo(file);
        Keyset rotated = first.rotate();

        assertThatThrownBy(() -> rotated.writeTo(file))
                .isInstanceOf(KeysetException.class)
                .hasMessageStartingWith("keyset file " + file + " already exists; refusing to overwrite it");
        assertThat(Keyset.readFrom(file).keys()).hasSize(1);

        rotated.writeTo(file, true);

        assertThat(Keyset.readFrom(file).primaryId()).isEqualTo(rotated.primaryId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(directory)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void readsFromTheEnvironmentAsJsonOrAsAFile() {
        Keyset keyset = Keyset.generate();
        Path file = directory.resolve("k.json");
        keyset.writeTo(file);

        assertThat(Keyset.fromEnvironment(Map.of("SLUICE_KEYSET", keyset.toJson())).primaryId())
                .isEqualTo(keyset.primaryId());
        assertThat(Keyset.fromEnvironment(Map.of("SLUICE_KEYSET_FILE", file.toString())).primaryId())
                .isEqualTo(keyset.primaryId());
        assertThatThrownBy(() -> Keyset.fromEnvironment(Map.of()))
                .hasMessage("no keyset: set SLUICE_KEYSET to the keyset JSON or SLUICE_KEYSET_FILE to the path of a"
                        + " keyset file");
        assertThatThrownBy(() -> Keyset.fromEnvironment(Map.of("SLUICE_KEYSET", "{}", "SLUICE_KEYSET_FILE", "x")))
                .hasMessage("both SLUICE_KEYSET and SLUICE_KEYSET_FILE are set; set only one");
    }

    @Test
    void badKeysetsAreExplainedWithoutEchoingSecrets() {
        String secret = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String shortSecret = "{\"primary\":\"0a0b0c0d\",\"keys\":[{\"id\":\"0a0b0c0d\",\"created\":\"2025-01-02T03:04:05Z\","
                + "\"secret\":\"" + secret + "\"}]}";

        assertThatThrownBy(() -> Keyset.parse(shortSecret, "SLUICE_KEYSET"))
                .hasMessage("SLUICE_KEYSET: keys[0] (key 0a0b0c0d): \"secret\" must hold 64 bytes, it holds 32")
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> Keyset.parse("{\"primary\": hunter2}", "SLUICE_KEYSET"))
                .hasMessage("SLUICE_KEYSET: not valid JSON (line 1, column 13)");
        String valid = shortSecret.replace(secret, java.util.Base64.getEncoder().encodeToString(new byte[64]));
        assertThat(Keyset.parse(valid, "k").primaryId()).isEqualTo("0a0b0c0d");
        assertThatThrownBy(() -> Keyset.parse(valid.replace("\"primary\":\"0a0b0c0d\"", "\"primary\":\"ffffffff\""),
                "k")).hasMessage("k: primary key ffffffff is not among the keys [0a0b0c0d]");
        assertThatThrownBy(() -> Keyset.parse(valid.replace("\"id\":\"0a0b0c0d\"", "\"id\":\"XY\""), "k"))
                .hasMessage("k: keys[0]: \"id\" must be 8 lowercase hex digits");
    }
}
