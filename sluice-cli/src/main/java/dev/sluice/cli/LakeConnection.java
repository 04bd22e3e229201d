package dev.sluice.cli;

import dev.sluice.aws.s3.S3Clients;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.postgres.PostgresDatabase;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;

/** The {@code --config} option of the {@code lake} commands, and what they open with it. */
final class LakeConnection {
    /** The shipped definition the commands read, and where its dedupe migrates the lake's tables from. */
    static final String LAKE = "lake";
    static final String MIGRATIONS = "db/lake";
    static final String HISTORY_TABLE = "sluice_history_lake";

    @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml for S3, Postgres and the lake")
    Path config;

    /**
     * The lake definition's bucket and key prefix (as the user's file may override them), its S3 client and its
     * database with the lake's tables migrated; close it.
     */
    record Opened(String bucket, String prefix, S3Client s3, PostgresDatabase db) implements AutoCloseable {
        @Override
        public void close() {
            db.close();
            s3.close();
        }
    }

    Opened open() {
        ConfigSource.Loaded all = ConfigSource.read(config, System.getenv());
        SluiceConfig loaded = all.wired();
        ConfigNode sink = all.definitions().definition(LAKE).at("sink");
        PostgresDatabase db = new PostgresDatabase(loaded.requirePostgres().withMaxPoolSize(2));
        try {
            db.migrate(MIGRATIONS, HISTORY_TABLE);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new Opened(sink.at("bucket").text().orElseThrow(), sink.at("prefix").text().orElse(""),
                S3Clients.create(loaded.aws()), db);
    }
}
