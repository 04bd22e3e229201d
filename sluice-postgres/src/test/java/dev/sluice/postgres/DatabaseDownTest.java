package dev.sluice.postgres;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.postgres.BatchInsertSinkTest.Note;
import dev.sluice.postgres.testing.RestartablePostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.sluice.postgres.Deliveries.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The database stops under a running sink and comes back on the same address with its data. */
class DatabaseDownTest {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Connect timeout plus room for a slow, shared machine; a hang would blow far past it. */
    static final Duration FAILURE_BOUND = CONNECT_TIMEOUT.plusSeconds(4);

    @TempDir
    static Path dataDirectory;
    static RestartablePostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = RestartablePostgres.start(dataDirectory);
        try (PostgresDatabase db = new PostgresDatabase(postgres.settings())) {
            db.migrate("db/test", "test_schema_history");
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @Test
    void writeFailsBoundedWhileDownAndSucceedsAfterRestart() throws Exception {
        PostgresSettings settings = postgres.settings().withConnectTimeout(CONNECT_TIMEOUT);
        try (PostgresDatabase db = new PostgresDatabase(settings)) {
            BatchInsertSink<Note> sink = new BatchInsertSink<>(db.dataSource(), BatchInsertSinkTest.NOTES,
                    BatchInsertSinkTest.NOTE_ROW);
            sink.write(List.of(note("before-stop")));

            postgres.stop();
            List<Delivery<Note>> whileDown = List.of(note("while-down"));
            // First attempt: the pooled connection the server cut; second: no server to connect to at all.
            for (int attempt = 0; attempt < 2; attempt++) {
                assertTimeoutPreemptively(FAILURE_BOUND, () -> assertThatThrownBy(() -> sink.write(whileDown))
                        .isInstanceOf(SQLException.class)
                        .isNotInstanceOf(DestinationRejectedException.class));
            }

            postgres.start();
            await("write after restart").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(SQLException.class)
                    .untilAsserted(() -> sink.write(whileDown));
        }
        assertThat(noteIds()).containsExactlyInAnyOrder("before-stop", "while-down");
    }

    @Test
    void openingWhileDownSucceedsAndCheckConnectionExplains() throws Exception {
        postgres.stop();
        try (PostgresDatabase db = new PostgresDatabase(postgres.settings().withConnectTimeout(CONNECT_TIMEOUT))) {
            assertTimeoutPreemptively(FAILURE_BOUND, () -> assertThatThrownBy(db::checkConnection)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot reach PostgreSQL at jdbc:postgresql://localhost:" + postgres.port())
                    .hasMessageContaining("within 1000 ms"));

            postgres.start();
            await("connection after restart").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IllegalStateException.class)
                    .untilAsserted(db::checkConnection);
        }
    }

    private static Delivery<Note> note(String id) {
        return delivery(id, new Note(id, "body", "c", 1, Instant.EPOCH));
    }

    private static List<String> noteIds() throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(message_id, ',') FROM notes")) {
            rs.next();
            return List.of(rs.getString(1).split(","));
        }
    }
}
