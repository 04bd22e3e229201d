package dev.sluice.pipelines.logins;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PipelineMetrics;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.PiiMasker;
import dev.sluice.postgres.BatchInsertSink;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.QueueErrorSink;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.Map;

/**
 * The {@code logins} pipeline: SQS → parse and validate → mask → {@code user_logins}, rejects → {@code login_errors}.
 *
 * <pre>{@code
 * try (PostgresDatabase db = new PostgresDatabase(postgresSettings)) {
 *     Runner<Login> logins = LoginsPipeline.create(settings, SqsSource.connect(aws, settings.source()), db,
 *             Keyset.fromEnvironment(), registry, Clock.systemUTC());
 *     logins.start();
 * }
 * }</pre>
 */
public final class LoginsPipeline {
    public static final String NAME = "logins";

    private LoginsPipeline() {
    }

    /** Migrates the pipeline's tables (idempotent), then builds its runner; the caller starts and stops it. */
    public static Runner<Login> create(LoginsSettings settings, Source source, PostgresDatabase db, Keyset keys,
                                       MeterRegistry registry, Clock clock) {
        migrate(settings, db);
        Stage<Message, Login> stages = new LoginParser(settings.maxBodyBytes()).then(new LoginMasker(
                new PiiMasker(keys, settings.masking().ip()),
                new PiiMasker(keys, settings.masking().deviceId()),
                clock));
        return Runner.builder(NAME, source, stages,
                        new BatchInsertSink<>(db.dataSource(), LoginRows.table(settings.table()), new LoginRows()),
                        new QueueErrorSink(db.dataSource(), settings.errorTable()))
                .settings(settings.runner())
                .metrics(new PipelineMetrics(registry, NAME))
                .clock(clock)
                .build();
    }

    /** Creates or upgrades {@code table} and {@code errorTable}; each table pair keeps its own Flyway history. */
    public static void migrate(LoginsSettings settings, PostgresDatabase db) {
        db.migrate("db/logins", "sluice_history_" + settings.table(),
                Map.of("table", settings.table(), "error_table", settings.errorTable()));
    }
}
