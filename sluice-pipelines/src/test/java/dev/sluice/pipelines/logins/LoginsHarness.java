package dev.sluice.pipelines.logins;

import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.mask.Keyset;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.SqsPipelineHarness;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.postgres.PostgresSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The shipped logins definition on a real embedded SQS queue (fresh per harness) and a real Postgres database, with
 * the queries the tests check. The SQS server is shared by the whole test JVM. The harness's YAML only points the
 * definition at these servers, shortens its timings and masks device ids with siv (to check a token unmasks); every
 * processor, the table and the error table are the shipped ones.
 */
final class LoginsHarness extends SqsPipelineHarness {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    static final Keyset KEYS = Keyset.generate();

    /** Quick retries and a short visibility, so redelivery tests take seconds. */
    static final String QUICK_RUNNER = "{receivers: 2, maxInFlight: 200, batchSize: 100, linger: 10ms, writers: 2,"
            + " backoff: {initial: 50ms, max: 500ms}, stopTimeout: 5s}";

    final String table;
    /** The YAML the pipeline runs with, merged over the shipped definition. */
    final String config;

    LoginsHarness(PostgresSettings postgres) {
        this(postgres, "user_logins", "login_errors");
    }

    /** With other table names, as a user's sluice.yaml would set them. */
    LoginsHarness(PostgresSettings postgres, String table, String errorTable) {
        this(postgres, table, errorTable, "logins-" + UUID.randomUUID());
    }

    private LoginsHarness(PostgresSettings postgres, String table, String errorTable, String queue) {
        super("logins", queue, SQS.newClient(), SQS.createQueueWithDeadLetterQueue(queue, 5).queueUrl(), table,
                errorTable, () -> DriverManager.getConnection(postgres.url()));
        this.table = table;
        this.config = """
                aws: {region: us-east-1, endpoints: {sqs: "%s"}, accessKeyId: local, secretAccessKey: local}
                postgres: {url: "%s"}
                pipelines:
                  logins:
                    source: {queue: %s, waitTime: 1s, maxMessagesPerPoll: 10, visibilityTimeout: 2s}
                    processors: [{id: mask, fields: {device_id: siv}}]
                    sink:
                      table: %s
                      migrations: {history: sluice_history_%s, placeholders: {error_table: %s}}
                    errors: {table: %s}
                    runner: %s
                """.formatted(SQS.endpoint(), postgres.url(), queue, table, table, errorTable, errorTable,
                QUICK_RUNNER);
        define(DefinedPipelines.of(environment(), config));
    }

    /** What the pipeline's process needs from its environment: the masking keys. */
    static Map<String, String> environment() {
        return Map.of(Keyset.ENV_KEYSET, KEYS.toJson());
    }

    SqsSource source() {
        return SqsSource.connect(sqs, new SqsSourceSettings(queue, Duration.ofSeconds(1), 10, Duration.ofSeconds(2)));
    }

    static List<String> fixtureBodies() throws IOException {
        Path file = Path.of(System.getProperty("sluice.fixtures"), "logins", "login-queue-bodies.ndjson");
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    /** Drops the migrations' history table too, after the tables. */
    @Override
    public void close() {
        super.close();
        execute("DROP TABLE IF EXISTS sluice_history_" + table);
    }
}
