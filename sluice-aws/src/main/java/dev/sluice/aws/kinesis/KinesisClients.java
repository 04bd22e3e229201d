package dev.sluice.aws.kinesis;

import dev.sluice.aws.AwsClientSettings;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds Kinesis clients from {@link AwsClientSettings}, with the Kinesis endpoint override when there is one
 * (the kinesis-local emulator). The caller owns the client and closes it.
 */
public final class KinesisClients {

    private KinesisClients() {
    }

    public static KinesisClient create(AwsClientSettings settings) {
        return settings.applyTo(KinesisClient.builder(), settings.endpoints().kinesisOverride()).build();
    }
}
