package dev.sluice.aws.sqs;

import dev.sluice.aws.AwsClientSettings;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds SQS clients from {@link AwsClientSettings}, so every part of Sluice talks to SQS with the same HTTP
 * client, timeouts and credential rules. The caller owns the client and closes it.
 */
public final class SqsClients {

    private SqsClients() {
    }

    public static SqsClient create(AwsClientSettings settings) {
        return settings.applyTo(SqsClient.builder(), settings.endpoints().sqsOverride()).build();
    }
}
