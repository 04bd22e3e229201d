package dev.sluice.local;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The region and dummy credentials every embedded AWS service answers to. The emulators ignore credentials, but
 * the AWS SDK refuses to sign without some, so all embedded services share these.
 */
public final class LocalAwsAccount {

    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCESS_KEY_ID = "x";
    public static final String SECRET_ACCESS_KEY = "x";

    private LocalAwsAccount() {
    }

    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    /**
     * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} as the Java SDK reads them, and
     * {@code AWS_DEFAULT_REGION} too: the AWS CLI and boto3 read that one, not {@code AWS_REGION}, so a Python user
     * who sources the env file would otherwise get {@code NoRegionError}.
     */
    public static Map<String, String> environment() {
        return Map.of(
                "AWS_REGION", REGION.id(),
                "AWS_DEFAULT_REGION", REGION.id(),
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
    }
}
