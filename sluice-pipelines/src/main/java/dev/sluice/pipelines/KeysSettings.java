package dev.sluice.pipelines;

import dev.sluice.core.mask.Keyset;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the masking keyset comes from. Keys never live in sluice.yaml: either {@code keysetFile} names a file
 * (mode 0600, made by {@code sluice keys new}), or the environment provides {@code SLUICE_KEYSET} (the JSON) or
 * {@code SLUICE_KEYSET_FILE} (a path). The same section as {@link dev.sluice.core.process.KeysSettings}, which reads
 * it for the plugins.
 *
 * @param keysetFile the keyset file; default none (the environment)
 * @param kmsKeyUri  the KMS key the keyset is wrapped under; default {@code SLUICE_KEYSET_KMS_KEY_URI}, else none
 */
public record KeysSettings(Path keysetFile, String kmsKeyUri) {
    public static final KeysSettings FROM_ENVIRONMENT = new KeysSettings(null, null);

    /** Reads the keyset; errors name the file or variable and the rule, never a secret. */
    public Keyset load(Map<String, String> environment) {
        return plugins().load(environment);
    }

    /** Where the keys come from, for {@code sluice check}. */
    public String describe() {
        return plugins().describe();
    }

    private dev.sluice.core.process.KeysSettings plugins() {
        return new dev.sluice.core.process.KeysSettings(keysetFile, kmsKeyUri);
    }
}
