package dev.sluice.pipelines;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.postgres.PostgresSettings;

import java.util.Objects;

/**
 * The whole of {@code sluice.yaml}: shared endpoints, where the masking keys live, and each pipeline's settings.
 * Loaded by {@link dev.sluice.core.config.ConfigLoader}, so {@code ${ENV:-default}} works everywhere and an
 * unknown key or a wrong type names the key, the file and the line.
 *
 * @param aws       region, endpoint override and credentials for SQS; absent values use the AWS default chain
 *                  ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ACCESS_KEY_ID}, …)
 * @param postgres  the database the pipelines write to (required)
 * @param keys      where the masking keyset comes from; never the keys themselves
 * @param pipelines settings per pipeline
 */
public record SluiceConfig(AwsClientSettings aws, PostgresSettings postgres, KeysSettings keys, Pipelines pipelines) {

    public SluiceConfig {
        aws = aws == null ? AwsClientSettings.defaults() : aws;
        Objects.requireNonNull(postgres, "postgres is required (postgres.url)");
        keys = keys == null ? KeysSettings.FROM_ENVIRONMENT : keys;
        pipelines = pipelines == null ? Pipelines.DEFAULTS : pipelines;
    }
}
