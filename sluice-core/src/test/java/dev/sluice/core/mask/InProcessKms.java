package dev.sluice.core.mask;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClients;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A KMS in this JVM for tests, as no KMS stand-in runs here: {@code fake-kms://NAME} keys, each an AES-256-GCM
 * {@link Aead} that never leaves the process, registered with Tink's {@link KmsClients} like the AWS one. It tests
 * Sluice's own wrapping logic; the AWS KMS call path is not exercised offline.
 */
public final class InProcessKms extends KmsClientForScheme {
    public static final String PREFIX = "fake-kms://";
    private static final Map<String, Aead> KEYS = new ConcurrentHashMap<>();

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
        KmsClients.add(new InProcessKms());
    }

    private InProcessKms() {
        super(PREFIX);
    }

    /** A new key-encryption key; its URI. */
    public static String newKey() {
        String uri = PREFIX + "sluice-test-" + UUID.randomUUID();
        try {
            KEYS.put(uri, KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)
                    .getPrimitive(RegistryConfiguration.get(), Aead.class));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return uri;
    }

    @Override
    public Aead getAead(String keyUri) throws GeneralSecurityException {
        Aead key = KEYS.get(keyUri);
        if (key == null) {
            throw new GeneralSecurityException("no key " + keyUri + " in this KMS");
        }
        return key;
    }
}
