package dev.sluice.pipelines;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.postgres.PostgresSettings;
import dev.sluice.redis.RedisSettings;


/**
 * The connection sections of {@code sluice.yaml}: shared endpoints and where the masking keys live. The
 * {@code pipelines:} section is the pipeline definitions' ({@link dev.sluice.core.pipeline.PipelineDefinitions}).
 * Loaded by {@link dev.sluice.core.config.ConfigLoader}, so {@code ${ENV:-default}} works everywhere and an
 * unknown key or a wrong type names the key, the file and the line.
 *
 * @param aws       region, endpoint override and credentials for SQS; absent values use the AWS default chain
 *                  ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ACCESS_KEY_ID}, …)
 * @param postgres  the database pipelines and jobs write to; absent (null) when no part needs one (a pipeline of S3
 *                  and Redis only): the Postgres plugins bind the section themselves and say so
 * @param redis     where aggregates are kept (the playtime definition, parquet_totals); default {@value #DEFAULT_REDIS_URL}
 * @param keys      where the masking keyset comes from; never the keys themselves
 */
public record SluiceConfig(AwsClientSettings aws, PostgresSettings postgres, RedisSettings redis, KeysSettings keys) {

    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

    public SluiceConfig {
        aws = aws == null ? AwsClientSettings.defaults() : aws;
        redis = redis == null ? new RedisSettings(DEFAULT_REDIS_URL) : redis;
        keys = keys == null ? KeysSettings.FROM_ENVIRONMENT : keys;
    }

    /** The postgres section, for a command that always needs a database (the lake's queries). */
    public PostgresSettings requirePostgres() {
        if (postgres == null) {
            throw new IllegalArgumentException("postgres is required (postgres.url)");
        }
        return postgres;
    }
}
