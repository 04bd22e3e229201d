package dev.sluice.pipelines;

import dev.sluice.core.mask.Keyset;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the masking keyset comes from. Keys never live in sluice.yaml: either {@code keysetFile} names a file
 * (mode 0600, made by {@code sluice keys new}), or the environment provides {@code SLUICE_KEYSET} (the JSON) or
 * {@code SLUICE_KEYSET_FILE} (a path).
 */
public record KeysSettings(Path keysetFile) {
    public static final KeysSettings FROM_ENVIRONMENT = new KeysSettings(null);

    /** Reads the keyset; errors name the file or variable and the rule, never a secret. */
    public Keyset load(Map<String, String> environment) {
        return keysetFile == null ? Keyset.fromEnvironment(environment) : Keyset.readFrom(keysetFile);
    }

    /** Where the keys come from, for {@code sluice check}. */
    public String describe() {
        return keysetFile == null ? "environment (" + Keyset.ENV_KEYSET + " or " + Keyset.ENV_KEYSET_FILE + ")"
                : keysetFile.toString();
    }
}
