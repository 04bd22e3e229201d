package dev.sluice.pipelines.logins;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.Source;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * One logins pipeline on a real embedded SQS queue (fresh per harness) and a real Postgres database, with the
 * queries the tests check. The SQS server is shared by the whole test JVM.
 */
final class LoginsHarness implements AutoCloseable {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    static final Keyset KEYS = Keyset.generate();

    /** Quick retries and a short visibility, so redelivery tests take seconds. */
    static final RunnerSettings QUICK = new RunnerSettings(2, 200, 100, Duration.ofMillis(10), 2,
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)), Duration.ofSeconds(5));

    final String queue = "logins-" + UUID.randomUUID();
    final SqsClient sqs = SQS.newClient();
    final String queueUrl;
    final PostgresDatabase db;
    final LoginsSettings settings;
    private Runner<Login> runner;

    LoginsHarness(PostgresSettings postgres) {
        this(postgres, s -> s);
    }

    LoginsHarness(PostgresSettings postgres, UnaryOperator<LoginsSettings> customise) {
        this.queueUrl = SQS.createQueueWithDeadLetterQueue(queue, 5).queueUrl();
        this.db = new PostgresDatabase(postgres);
        this.settings = customise.apply(new LoginsSettings(
                new SqsSourceSettings(queue, Duration.ofSeconds(1), 10, Duration.ofSeconds(2)),
                "user_logins", "login_errors", null, new LoginMasking(MaskMode.HMAC, MaskMode.SIV), QUICK));
    }

    SqsSource source() {
        return SqsSource.connect(sqs, settings.source());
    }

    Runner<Login> start() {
        return start(source());
    }

    Runner<Login> start(Source source) {
        runner = LoginsPipeline.create(settings, source, db, KEYS, new SimpleMeterRegistry(), Clock.systemUTC());
        runner.start();
        return runner;
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
                rows() + errorRows() >= expected && queueDepth() == 0 && runner.inFlight() == 0);
    }

    long rows() {
        return count("SELECT count(*) FROM " + settings.table());
    }

    long errorRows() {
        return count("SELECT count(*) FROM " + settings.errorTable());
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
        if (runner != null) {
            runner.stop();
        }
        execute("DROP TABLE IF EXISTS " + settings.table() + ", " + settings.errorTable() + ", sluice_history_"
                + settings.table());
        db.close();
        sqs.close();
    }
}
