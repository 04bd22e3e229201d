package dev.sluice.core.mask;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keysets wrapped under a KMS key (envelope encryption), with {@link InProcessKms} as the KMS: the file holds no
 * cleartext key, reads back the same keys only under the configured key, and every wrong combination is refused
 * naming the file and the key URIs, never a secret, and leaving the file as it was.
 */
class KeysetWrappingTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aWrappedFileHoldsNoCleartextKeyAndReadsBackUnderItsKmsKey() throws IOException {
        String kek = InProcessKms.newKey();
        Keyset keys = Keyset.generate().rotate();
        Path file = dir.resolve("keyset.json");

        keys.writeTo(file, false, kek);

        String stored = Files.readString(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(stored).contains(kek).doesNotContain(secrets(keys).toArray(String[]::new))
                .doesNotContain("\"primary\"");
        assertThat(Keyset.wrappingOf(file)).contains(kek);
        Keyset read = Keyset.readFrom(file, kek);
        assertThat(read.toJson()).isEqualTo(keys.toJson());
        // Masking is the same with the unwrapped keys.
        assertThat(new PiiMasker(read, MaskMode.SIV).mask("203.0.113.7"))
                .isEqualTo(new PiiMasker(keys, MaskMode.SIV).mask("203.0.113.7"));
    }

    @Test
    void theEnvironmentNamesTheKmsKeyWhenTheConfigurationDoesNot() {
        String kek = InProcessKms.newKey();
        Keyset keys = Keyset.generate();
        Map<String, String> env = Map.of(Keyset.ENV_KEYSET, keys.toWrappedJson(kek), Keyset.ENV_KEYSET_KMS_KEY_URI, kek);

        assertThat(Keyset.fromEnvironment(env).primaryId()).isEqualTo(keys.primaryId());
        assertThat(Keyset.load(null, kek, Map.of(Keyset.ENV_KEYSET, keys.toWrappedJson(kek))).primaryId())
                .isEqualTo(keys.primaryId());
        assertThat(Keyset.load(null, null, Map.of(Keyset.ENV_KEYSET, keys.toJson())).primaryId())
                .as("locally a cleartext keyset stays the default").isEqualTo(keys.primaryId());
    }

    @Test
    void aWrappedKeysetWithoutTheKmsSettingIsRefused() throws IOException {
        String kek = InProcessKms.newKey();
        Keyset keys = Keyset.generate();
        Path file = dir.resolve("keyset.json");
        keys.writeTo(file, false, kek);
        String before = Files.readString(file);

        assertThatThrownBy(() -> Keyset.readFrom(file))
                .isInstanceOf(KeysetException.class)
                .hasMessage("keyset file " + file + ": the keyset is wrapped by the KMS key " + kek + "; set "
                        + "keys.kmsKeyUri (or SLUICE_KEYSET_KMS_KEY_URI) to that key to read it, or `sluice keys "
                        + "unwrap` it to leave KMS");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aKeysetWrappedUnderAnotherKeyIsRefused() throws IOException {
        String configured = InProcessKms.newKey();
        String other = InProcessKms.newKey();
        Path file = dir.resolve("keyset.json");
        Keyset.generate().writeTo(file, false, other);

        assertThatThrownBy(() -> Keyset.readFrom(file, configured))
                .isInstanceOf(KeysetException.class)
                .hasMessage("keyset file " + file + ": the keyset is wrapped by the KMS key " + other
                        + ", not by the configured " + configured);
    }

    @Test
    void aWrongKeyEncryptionKeyFailsClearlyWithoutKeyMaterial() throws IOException {
        String right = InProcessKms.newKey();
        String wrong = InProcessKms.newKey();
        Keyset keys = Keyset.generate();
        // The file claims the wrong key (edited, or copied from another environment): the KMS cannot unwrap it.
        String wrapped = keys.toWrappedJson(right).replace(right, wrong);
        Path file = dir.resolve("keyset.json");
        Files.writeString(file, wrapped);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> Keyset.readFrom(file, wrong))
                .isInstanceOf(KeysetException.class)
                .hasMessageStartingWith("keyset file " + file + ": cannot unwrap the keyset with KMS key " + wrong
                        + " (not the key it was wrapped with, no permission to decrypt with it, or the file was "
                        + "altered)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secrets(keys).toArray(String[]::new))
                        .doesNotContain(JSON.readTree(wrapped).get("encryptedKeyset").stringValue()));
        assertThat(Files.readString(file)).isEqualTo(wrapped);
    }

    @Test
    void aCleartextKeysetWhereAWrappedOneIsExpectedIsRefused() throws IOException {
        String kek = InProcessKms.newKey();
        Path file = dir.resolve("keyset.json");
        Keyset.generate().writeTo(file);

        assertThatThrownBy(() -> Keyset.readFrom(file, kek))
                .isInstanceOf(KeysetException.class)
                .hasMessageStartingWith("keyset file " + file + ": a cleartext keyset, but keys.kmsKeyUri (or "
                        + "SLUICE_KEYSET_KMS_KEY_URI) expects one wrapped by the KMS key " + kek);
        assertThat(Keyset.wrappingOf(file)).isEmpty();
    }

    @Test
    void aKmsKeyNoClientServesOrABadUriIsRefused() {
        Keyset keys = Keyset.generate();
        assertThatThrownBy(() -> keys.toWrappedJson("gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k"))
                .isInstanceOf(KeysetException.class)
                .hasMessageStartingWith("no KMS client for gcp-kms://");
        assertThatThrownBy(() -> keys.toWrappedJson("arn:aws:kms:eu-west-1:123456789012:key/abc"))
                .hasMessageStartingWith("a KMS key URI looks like aws-kms://arn:aws:kms:");
        assertThatThrownBy(() -> keys.toWrappedJson(InProcessKms.PREFIX + "never-made"))
                .hasMessageStartingWith("cannot use KMS key fake-kms://never-made");
    }

    private static List<String> secrets(Keyset keys) {
        List<String> secrets = new ArrayList<>();
        for (JsonNode key : JSON.readTree(keys.toJson()).get("keys")) {
            secrets.add(key.get("secret").stringValue());
        }
        return secrets;
    }
}
