package dev.sluice.core.mask;

import com.google.crypto.tink.subtle.AesSiv;
import com.google.crypto.tink.subtle.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The working keys derived from one keyset entry: independent subkeys per mode (HKDF-SHA256 with distinct info
 * strings), so an HMAC token and an SIV token of one value are unrelated, and the stored secret is never used
 * directly. Mac instances are not thread-safe and are kept per thread; Tink's AesSiv is thread-safe.
 */
final class KeyMaterial {

    private static final byte[] HMAC_INFO = "sluice hmac v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIV_INFO = "sluice siv v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_SALT = new byte[0];

    private final String id;
    private final ThreadLocal<Mac> mac;
    private final AesSiv siv;

    KeyMaterial(String id, byte[] secret) {
        this.id = id;
        try {
            SecretKeySpec hmacKey = new SecretKeySpec(Hkdf.computeHkdf("HMACSHA256", secret, NO_SALT, HMAC_INFO, 32),
                    "HmacSHA256");
            this.siv = new AesSiv(Hkdf.computeHkdf("HMACSHA256", secret, NO_SALT, SIV_INFO, 64));
            this.mac = ThreadLocal.withInitial(() -> newMac(hmacKey));
            newMac(hmacKey);
        } catch (GeneralSecurityException e) {
            throw new KeysetException("key " + id + ": cannot derive working keys (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac instance = Mac.getInstance("HmacSHA256");
            instance.init(key);
            return instance;
        } catch (GeneralSecurityException e) {
            throw new KeysetException("HmacSHA256 is not available in this JVM", e);
        }
    }

    String id() {
        return id;
    }

    byte[] hmac(byte[] value) {
        return mac.get().doFinal(value);
    }

    AesSiv siv() {
        return siv;
    }
}
