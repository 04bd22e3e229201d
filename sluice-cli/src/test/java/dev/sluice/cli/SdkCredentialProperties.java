package dev.sluice.cli;

import dev.sluice.core.config.SystemProperties;

import java.util.Map;

/**
 * Sets the AWS SDK's credential system properties ({@code aws.accessKeyId}, {@code aws.secretAccessKey}) and puts
 * back what was there on close. The SDK's default chain reads them before the process environment, which tests
 * must not change.
 */
final class SdkCredentialProperties {

    private SdkCredentialProperties() {
    }

    static SystemProperties set(String accessKeyId, String secretAccessKey) {
        return SystemProperties.set(Map.of("aws.accessKeyId", accessKeyId, "aws.secretAccessKey", secretAccessKey));
    }
}
