package dev.sluice.cli;

import dev.sluice.aws.s3.S3Clients;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.lake.LakePipeline;
import dev.sluice.pipelines.lake.LakeSettings;
import dev.sluice.postgres.PostgresDatabase;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;

/** The {@code --config} option of the {@code lake} commands, and what they open with it. */
final class LakeConnection {
    @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml for S3, Postgres and the lake")
    Path config;

    /** The lake's settings, its S3 client and its database with the lake's tables migrated; close it. */
    record Opened(LakeSettings lake, S3Client s3, PostgresDatabase db) implements AutoCloseable {
        @Override
        public void close() {
            db.close();
            s3.close();
        }
    }

    Opened open() {
        SluiceConfig loaded = ConfigSource.load(config, System.getenv());
        PostgresDatabase db = new PostgresDatabase(loaded.postgres().withMaxPoolSize(2));
        try {
            db.migrate(LakePipeline.MIGRATIONS, LakePipeline.HISTORY_TABLE);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new Opened(loaded.pipelines().lake(), S3Clients.create(loaded.aws()), db);
    }
}
