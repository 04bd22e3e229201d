package dev.sluice.core.mask;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.KmsClients;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.regex.Pattern;

/**
 * Envelope encryption of a keyset under a KMS key (the key-encryption key, KEK): the keyset JSON is encrypted with
 * a fresh AES-256-GCM data key, and only that data key goes to the KMS to be wrapped (Tink's
 * {@link KmsEnvelopeAead}), so the keyset's size is not bounded by the KMS and the cleartext never leaves the
 * process. The KEK comes from Tink's {@link KmsClients}: those registered with {@link KmsClients#add}, then those
 * found by {@link java.util.ServiceLoader} ({@code aws-kms://} from sluice-aws, on AWS SDK v2).
 */
final class KeysetWrapping {
    /** Binds a ciphertext to being a Sluice keyset: a data key wrapped for anything else does not decrypt it. */
    private static final byte[] ASSOCIATED_DATA = "sluice keyset v1".getBytes(StandardCharsets.US_ASCII);
    /** {@code scheme://rest}: aws-kms://arn:aws:kms:…, or another scheme a registered client supports. */
    private static final Pattern KMS_KEY_URI = Pattern.compile("[a-z][a-z0-9-]*://\\S+");

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private KeysetWrapping() {
    }

    static String requireUri(String kmsKeyUri) {
        if (kmsKeyUri == null || !KMS_KEY_URI.matcher(kmsKeyUri).matches()) {
            throw new KeysetException("a KMS key URI looks like aws-kms://arn:aws:kms:eu-west-1:123456789012:key/"
                    + "1234abcd-12ab-34cd-56ef-1234567890ab, was '" + kmsKeyUri + "'");
        }
        return kmsKeyUri;
    }

    static byte[] wrap(byte[] keysetJson, String kmsKeyUri) {
        Aead envelope = envelope(kmsKeyUri);
        try {
            return envelope.encrypt(keysetJson, ASSOCIATED_DATA);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeysetException("cannot wrap the keyset with KMS key " + kmsKeyUri + ": " + describe(e), e);
        }
    }

    /** @param source names the file or variable in errors, which never hold key material */
    static byte[] unwrap(byte[] wrapped, String kmsKeyUri, String source) {
        Aead envelope = envelope(kmsKeyUri);
        try {
            return envelope.decrypt(wrapped, ASSOCIATED_DATA);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeysetException(source + ": cannot unwrap the keyset with KMS key " + kmsKeyUri + " (not the "
                    + "key it was wrapped with, no permission to decrypt with it, or the file was altered): "
                    + describe(e), e);
        }
    }

    private static Aead envelope(String kmsKeyUri) {
        try {
            return KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, keyEncryptionKey(kmsKeyUri));
        } catch (GeneralSecurityException e) {
            throw new KeysetException("cannot use KMS key " + kmsKeyUri + ": " + describe(e), e);
        }
    }

    private static Aead keyEncryptionKey(String kmsKeyUri) throws GeneralSecurityException {
        KmsClient client;
        try {
            client = KmsClients.get(kmsKeyUri);
        } catch (GeneralSecurityException notRegistered) {
            try {
                client = KmsClients.getAutoLoaded(kmsKeyUri);
            } catch (GeneralSecurityException none) {
                throw new KeysetException("no KMS client for " + kmsKeyUri + " (aws-kms:// is supported when "
                        + "sluice-aws is on the class path, as in the sluice jar)", none);
            }
        }
        return client.getAead(kmsKeyUri);
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
