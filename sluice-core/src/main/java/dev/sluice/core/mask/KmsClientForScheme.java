package dev.sluice.core.mask;

import com.google.crypto.tink.KmsClient;

/**
 * A Tink {@link KmsClient} for the key URIs of one scheme ({@code aws-kms://}), whose credentials come from its own
 * configuration (the AWS default chain), not from a credentials file Tink names.
 */
public abstract class KmsClientForScheme implements KmsClient {
    private final String prefix;

    /** @param prefix e.g. {@code aws-kms://} */
    protected KmsClientForScheme(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public final boolean doesSupport(String keyUri) {
        return keyUri != null && keyUri.startsWith(prefix);
    }

    @Override
    public final KmsClient withCredentials(String credentialPath) {
        return this;
    }

    @Override
    public final KmsClient withDefaultCredentials() {
        return this;
    }
}
