package dev.sluice.core.process;

import dev.sluice.core.mask.Keyset;
import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.SharedResource;
import java.nio.file.Path;
import java.util.Map;

/**
 * The top-level {@code keys:} section: where the masking keyset comes from. Keys never live in sluice.yaml: either
 * {@code keysetFile} names a file (mode 0600, made by {@code sluice keys new}), or, when the section or the setting
 * is absent, the environment provides {@code SLUICE_KEYSET} (the JSON) or {@code SLUICE_KEYSET_FILE} (a path).
 *
 * @param keysetFile the keyset file; default none (the environment)
 * @param kmsKeyUri  the KMS key the keyset is wrapped under ({@code aws-kms://arn:aws:kms:…}), so no cleartext key
 *                   sits in a file or variable; default {@code SLUICE_KEYSET_KMS_KEY_URI}, else none (cleartext)
 */
public record KeysSettings(Path keysetFile, String kmsKeyUri) {

    public static final ConfigSection<KeysSettings> SECTION = new ConfigSection<>("keys", KeysSettings.class,
            "where the masking keyset comes from (a file, or SLUICE_KEYSET / SLUICE_KEYSET_FILE)");

    /** The keyset, read once per process the first time a plugin masks; errors never show a secret. */
    public static final SharedResource<Keyset> KEYSET = new SharedResource<>("keyset",
            context -> context.section(SECTION).load(context.environment()));

    /** Reads the keyset; errors name the file or variable and the rule, never a secret. */
    public Keyset load(Map<String, String> environment) {
        return Keyset.load(keysetFile, kmsKeyUri, environment);
    }

    /** Where the keys come from, for {@code sluice check}. */
    public String describe() {
        return (keysetFile == null ? "environment (" + Keyset.ENV_KEYSET + " or " + Keyset.ENV_KEYSET_FILE + ")"
                : keysetFile.toString()) + (kmsKeyUri == null ? "" : " wrapped by " + kmsKeyUri);
    }
}
