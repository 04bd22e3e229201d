package dev.sluice.pipelines.logins;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * The shipped logins definition on a real embedded SQS queue (fresh per harness) and a real Postgres database, with
 * the queries the tests check. The SQS server is shared by the whole test JVM. The harness's YAML only points the
 * definition at these servers, shortens its timings and masks device ids with siv (to check a token unmasks); every
 * processor, the table and the error table are the shipped ones.
 */
final class LoginsHarness implements AutoCloseable {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    static final Keyset KEYS = Keyset.generate();

    /** Quick retries and a short visibility, so redelivery tests take seconds. */
    static final String QUICK_RUNNER = "{receivers: 2, maxInFlight: 200, batchSize: 100, linger: 10ms, writers: 2,"
            + " backoff: {initial: 50ms, max: 500ms}, stopTimeout: 5s}";

    final String queue = "logins-" + UUID.randomUUID();
    final SqsClient sqs = SQS.newClient();
    final String queueUrl;
    /** The tests' own connections, for their queries. */
    final PostgresDatabase db;
    final String table;
    final String errorTable;
    /** The YAML the pipeline runs with, merged over the shipped definition. */
    final String config;
    private final DefinedPipelines defined;
    private AssembledPipeline pipeline;

    LoginsHarness(PostgresSettings postgres) {
        this(postgres, "user_logins", "login_errors");
    }

    /** With other table names, as a user's sluice.yaml would set them. */
    LoginsHarness(PostgresSettings postgres, String table, String errorTable) {
        this.queueUrl = SQS.createQueueWithDeadLetterQueue(queue, 5).queueUrl();
        this.db = new PostgresDatabase(postgres);
        this.table = table;
        this.errorTable = errorTable;
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
        this.defined = DefinedPipelines.of(environment(), config);
    }

    /** What the pipeline's process needs from its environment: the masking keys. */
    static Map<String, String> environment() {
        return Map.of(Keyset.ENV_KEYSET, KEYS.toJson());
    }

    SqsSource source() {
        return SqsSource.connect(sqs, new SqsSourceSettings(queue, Duration.ofSeconds(1), 10, Duration.ofSeconds(2)));
    }

    /** Creates the tables (the definition's migrations), as a first start would, without starting. */
    void migrate() {
        defined.assemble("logins", UnaryOperator.identity()).close();
    }

    Runner<Event> start() {
        return start(UnaryOperator.identity());
    }

    /** Starts the shipped definition with its source seen through {@code decorator}. */
    Runner<Event> start(UnaryOperator<Source> decorator) {
        pipeline = defined.start("logins", decorator);
        return pipeline.runner();
    }

    void send(List<String> bodies) {
        SqsBatchSender.send(sqs, queueUrl, bodies);
    }

    /** Messages still on the queue, visible or claimed. */
    long queueDepth() {
        return SqsSource.approximateDepth(sqs, queueUrl);
    }

    /** Waits until the pipeline has written or rejected {@code expected} messages and emptied the queue. */
    void awaitHandled(long expected) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                rows() + errorRows() >= expected && queueDepth() == 0 && pipeline.runner().inFlight() == 0);
    }

    long rows() {
        return count("SELECT count(*) FROM " + table);
    }

    long errorRows() {
        return count("SELECT count(*) FROM " + errorTable);
    }

    long count(String sql) {
        return query(sql, rs -> rs.getLong(1)).getFirst();
    }

    <T> List<T> query(String sql, RowReader<T> reader, Object... params) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static List<String> fixtureBodies() throws IOException {
        Path file = Path.of(System.getProperty("sluice.fixtures"), "logins", "login-queue-bodies.ndjson");
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    void execute(String sql) {
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the pipeline and drops its tables, so the next harness in the same database starts empty. */
    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        defined.close();
        execute("DROP TABLE IF EXISTS " + table + ", " + errorTable + ", sluice_history_" + table);
        db.close();
        sqs.close();
    }
}
