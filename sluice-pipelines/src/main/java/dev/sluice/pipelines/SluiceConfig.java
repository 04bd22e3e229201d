package dev.sluice.pipelines;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.postgres.PostgresSettings;
import dev.sluice.redis.RedisSettings;

import java.util.Objects;

/**
 * The connection sections of {@code sluice.yaml}: shared endpoints and where the masking keys live. The
 * {@code pipelines:} section is the pipeline definitions' ({@link dev.sluice.core.pipeline.PipelineDefinitions}).
 * Loaded by {@link dev.sluice.core.config.ConfigLoader}, so {@code ${ENV:-default}} works everywhere and an
 * unknown key or a wrong type names the key, the file and the line.
 *
 * @param aws       region, endpoint override and credentials for SQS; absent values use the AWS default chain
 *                  ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ACCESS_KEY_ID}, …)
 * @param postgres  the database the logins pipeline writes to, and where tracking keeps its rejects and warehouse
 *                  (required)
 * @param redis     where aggregates are kept (the playtime definition, parquet_totals); default {@value #DEFAULT_REDIS_URL}
 * @param keys      where the masking keyset comes from; never the keys themselves
 */
public record SluiceConfig(AwsClientSettings aws, PostgresSettings postgres, RedisSettings redis, KeysSettings keys) {

    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

    public SluiceConfig {
        aws = aws == null ? AwsClientSettings.defaults() : aws;
        Objects.requireNonNull(postgres, "postgres is required (postgres.url)");
        redis = redis == null ? new RedisSettings(DEFAULT_REDIS_URL) : redis;
        keys = keys == null ? KeysSettings.FROM_ENVIRONMENT : keys;
    }
}
