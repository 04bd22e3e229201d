package dev.sluice.aws.kms;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import dev.sluice.aws.AwsClientSettings;
import dev.sluice.core.mask.KmsClientForScheme;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tink's {@link KmsClient} for {@code aws-kms://} key URIs on the AWS SDK v2 {@code kms} module. Tink's own
 * {@code tink-awskms} 1.x is built on SDK v1 (a second AWS SDK in the jar) and its SDK v2 release does not resolve
 * from the registry here, so this is the small part of it Sluice needs. Found by {@link java.util.ServiceLoader}
 * (Tink's {@code KmsClients.getAutoLoaded}), so sluice-core reads wrapped keysets without depending on AWS.
 *
 * <p>The KMS client has the default credentials chain and the region of the key's ARN; {@code AWS_ENDPOINT_URL_KMS}
 * overrides its endpoint.
 */
public final class AwsKmsClient extends KmsClientForScheme {
    public static final String PREFIX = "aws-kms://";
    /** {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID} or {@code …:alias/NAME}. */
    private static final Pattern KEY_ARN = Pattern.compile(
            "arn:aws[a-z-]*:kms:([a-z]{2}(?:-[a-z]+)+-\\d+):\\d{12}:(?:key|alias)/[\\w/+=,.@-]+");

    /** For {@link java.util.ServiceLoader}. */
    public AwsKmsClient() {
        super(PREFIX);
    }

    @Override
    public Aead getAead(String keyUri) throws GeneralSecurityException {
        String arn = keyArn(keyUri).orElseThrow(() -> new GeneralSecurityException("not an AWS KMS key URI: "
                + "expected aws-kms://arn:aws:kms:REGION:ACCOUNT:key/ID (or alias/NAME), was " + keyUri));
        String region = regionOf(arn);
        KmsClientBuilder builder = new AwsClientSettings(region, null, null, null, 2, null, null)
                .applyTo(software.amazon.awssdk.services.kms.KmsClient.builder(), Optional.empty());
        return new AwsKmsAead(builder.build(), arn);
    }

    static Optional<String> keyArn(String keyUri) {
        if (!keyUri.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String arn = keyUri.substring(PREFIX.length());
        return KEY_ARN.matcher(arn).matches() ? Optional.of(arn) : Optional.empty();
    }

    static String regionOf(String arn) {
        Matcher matcher = KEY_ARN.matcher(arn);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a KMS key ARN: " + arn);
        }
        return matcher.group(1);
    }
}
