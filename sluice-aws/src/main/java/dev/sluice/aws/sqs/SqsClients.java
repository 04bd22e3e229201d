package dev.sluice.aws.sqs;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Builds SQS clients from {@link AwsClientSettings}, so every part of Sluice talks to SQS with the same HTTP
 * client, timeouts and credential rules. The caller owns the client and closes it.
 */
public final class SqsClients {

    private SqsClients() {
    }

    public static SqsClient create(AwsClientSettings settings) {
        SqsClientBuilder builder = SqsClient.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(settings.maxConnections()))
                .overrideConfiguration(o -> o.apiCallTimeout(settings.apiCallTimeout()));
        settings.endpointOverride().ifPresent(builder::endpointOverride);
        if (settings.hasStaticCredentials()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())));
        }
        return builder.build();
    }
}
