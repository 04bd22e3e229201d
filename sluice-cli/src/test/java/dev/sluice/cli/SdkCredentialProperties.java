package dev.sluice.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * Sets the AWS SDK's credential system properties ({@code aws.accessKeyId}, {@code aws.secretAccessKey}) and puts
 * back what was there on close. The SDK's default chain reads them before the process environment, which tests
 * must not change.
 */
final class SdkCredentialProperties implements AutoCloseable {
    private static final String ACCESS_KEY_ID = "aws.accessKeyId";
    private static final String SECRET_ACCESS_KEY = "aws.secretAccessKey";

    private final Map<String, String> previous = new HashMap<>();

    private SdkCredentialProperties() {
    }

    static SdkCredentialProperties set(String accessKeyId, String secretAccessKey) {
        SdkCredentialProperties properties = new SdkCredentialProperties();
        properties.put(ACCESS_KEY_ID, accessKeyId);
        properties.put(SECRET_ACCESS_KEY, secretAccessKey);
        return properties;
    }

    private void put(String key, String value) {
        previous.put(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }
}
