package dev.sluice.aws.kms;

import com.google.crypto.tink.Aead;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;

/**
 * One KMS key as a Tink {@link Aead}: {@code Encrypt}/{@code Decrypt} calls, the associated data bound as the
 * encryption context {@code associatedData} = its hex, as Tink's own AWS client does, so a ciphertext of either
 * decrypts with the other. Decrypt names the key, so a ciphertext of another key is refused by KMS. The client
 * lives as long as the keyset's reading: a wrapped keyset is read once per process.
 */
final class AwsKmsAead implements Aead {
    private final KmsClient kms;
    private final String keyArn;

    AwsKmsAead(KmsClient kms, String keyArn) {
        this.kms = kms;
        this.keyArn = keyArn;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        try {
            return kms.encrypt(r -> r.keyId(keyArn).plaintext(SdkBytes.fromByteArray(plaintext))
                    .encryptionContext(context(associatedData))).ciphertextBlob().asByteArray();
        } catch (SdkException e) {
            throw new GeneralSecurityException("KMS Encrypt with " + keyArn + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        try {
            return kms.decrypt(r -> r.keyId(keyArn).ciphertextBlob(SdkBytes.fromByteArray(ciphertext))
                    .encryptionContext(context(associatedData))).plaintext().asByteArray();
        } catch (SdkException e) {
            throw new GeneralSecurityException("KMS Decrypt with " + keyArn + " failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> context(byte[] associatedData) {
        return associatedData == null || associatedData.length == 0 ? Map.of()
                : Map.of("associatedData", HexFormat.of().formatHex(associatedData));
    }
}
