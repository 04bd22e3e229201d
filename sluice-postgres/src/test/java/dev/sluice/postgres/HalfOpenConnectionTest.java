package dev.sluice.postgres;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.job.Job;
import dev.sluice.core.job.JobResult;
import dev.sluice.core.job.JobRun;
import dev.sluice.core.job.JobScheduler;
import dev.sluice.local.TcpProxy;
import dev.sluice.postgres.BatchInsertSinkTest.Note;
import dev.sluice.postgres.job.JobConnections;
import dev.sluice.postgres.job.SingleRunnerJob;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.sluice.postgres.Deliveries.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection that goes half-open mid-call (a failover, a dropped NAT entry: established, but nothing arrives and
 * nobody says so), made with a {@link TcpProxy} between the pool and an embedded PostgreSQL. Each call is made
 * blocked on a row lock first, so the cut meets it mid-call.
 */
class HalfOpenConnectionTest {
    /** Longer than any timeout below: reaching it means the call hung. */
    static final Duration HANG = Duration.ofSeconds(60);

    TestDatabase database;
    TcpProxy proxy;
    PostgresSettings throughProxy;
    Connection locker;

    @BeforeEach
    void start() throws SQLException {
        database = TestDatabases.embedded();
        try (PostgresDatabase direct = new PostgresDatabase(database.settings())) {
            direct.migrate("db/test", "test_schema_history");
        }
        Matcher port = Pattern.compile("//([^:/]+):(\\d+)/").matcher(database.jdbcUrl());
        assertThat(port.find()).isTrue();
        proxy = TcpProxy.start("127.0.0.1", Integer.parseInt(port.group(2)));
        throughProxy = new PostgresSettings(port.replaceFirst("//127.0.0.1:" + proxy.port() + "/"))
                .withConnectTimeout(Duration.ofSeconds(1))
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withJobs(2, Duration.ofMinutes(10));
        locker = database.connect();
        locker.setAutoCommit(false);
    }

    @AfterEach
    void stop() throws SQLException {
        locker.close();
        proxy.close();
        database.close();
    }

    @Test
    void aSinkWriteBlockedOnAHalfOpenConnectionFailsTransientlyAndTheRetryStoresItOnce() throws Exception {
        try (PostgresDatabase db = new PostgresDatabase(throughProxy)) {
            BatchInsertSink<Note> sink = new BatchInsertSink<>(db.dataSource(), BatchInsertSinkTest.NOTES,
                    BatchInsertSinkTest.NOTE_ROW);
            sink.write(List.of(note("before")));
            List<Delivery<Note>> batch = List.of(note("during"), note("during-2"));

            holdRowLock("during");
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    sink.write(batch);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            awaitBlockedOnTheLock();
            proxy.cutHalfOpen();

            await("the blocked write to end").atMost(HANG).until(write::isDone);
            assertThat(write).isCompletedExceptionally();
            Throwable failure = write.handle((done, e) -> e.getCause()).join();
            assertThat(failure).isInstanceOf(SQLException.class)
                    .isNotInstanceOf(DestinationRejectedException.class)
                    .isNotInstanceOf(PermanentFailureException.class);

            locker.rollback();
            proxy.restore();
            // What the runner does with a transient failure: the same batch again, until it is stored.
            await("the retry after restore").atMost(HANG).ignoreExceptionsInstanceOf(SQLException.class)
                    .untilAsserted(() -> sink.write(batch));
        }
        assertThat(noteIds()).containsExactlyInAnyOrder("before", "during", "during-2");
    }

    @Test
    void aScheduledJobBlockedOnAHalfOpenConnectionIsAbortedAndTheNextScheduledRunHappens() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (PostgresDatabase db = new PostgresDatabase(throughProxy)) {
            JobConnections connections = db.jobConnections("note-counter", 2);
            NoteCounter counter = new NoteCounter(connections);
            holdRowLock("during");
            try (JobScheduler scheduler = JobScheduler.start(new SingleRunnerJob(counter, connections),
                    Duration.ofMillis(200), Duration.ZERO, Duration.ofSeconds(3), registry, Clock.systemUTC())) {
                awaitBlockedOnTheLock();
                proxy.cutHalfOpen();

                await("the blocked run to be aborted").atMost(HANG).until(() -> scheduler.lastRun()
                        .map(run -> run.outcome() == JobRun.Outcome.FAILED).orElse(false));
                assertThat(scheduler.lastRun().orElseThrow().summary()).contains("maxRunTime");

                locker.rollback();
                proxy.restore();
                await("a later scheduled run").atMost(HANG).until(() -> scheduler.lastRun()
                        .map(run -> run.outcome() == JobRun.Outcome.SUCCEEDED).orElse(false));
            }
        }
        assertThat(registry.get("sluice.job.runs").tag("job", "note-counter").tag("outcome", "failed").counter()
                .count()).isGreaterThanOrEqualTo(1);
    }

    /** A job that locks the notes table, as a long load would, and counts its rows. */
    record NoteCounter(DataSource dataSource) implements Job {
        @Override
        public String name() {
            return "note-counter";
        }

        @Override
        public JobResult run() throws SQLException {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("LOCK TABLE notes IN SHARE MODE");
                try (ResultSet rows = s.executeQuery("SELECT count(*) FROM notes")) {
                    rows.next();
                    c.commit();
                    return JobResult.done(rows.getLong(1) + " notes");
                }
            }
        }
    }

    /** Another session holds a lock the calls under test wait for: a row of notes, and so the table. */
    private void holdRowLock(String messageId) throws SQLException {
        try (Statement s = locker.createStatement()) {
            s.execute("INSERT INTO notes (message_id) VALUES ('" + messageId + "')");
        }
    }

    private void awaitBlockedOnTheLock() {
        await("a call waiting for the lock").atMost(HANG).until(() -> {
            try (Connection c = database.connect(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                         + database.name() + "' AND wait_event_type = 'Lock'")) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        });
    }

    private static Delivery<Note> note(String id) {
        return delivery(id, new Note(id, "body", "c", 1, Instant.EPOCH));
    }

    private List<String> noteIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT message_id FROM notes")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
