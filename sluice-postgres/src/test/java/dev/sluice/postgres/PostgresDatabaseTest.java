package dev.sluice.postgres;

import dev.sluice.postgres.job.JobConnections;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@OnEachPostgres
class PostgresDatabaseTest {

    @Parameter
    TestDatabase database;

    @Test
    void jobsHoldingEveryConnectionTheyMayDoNotStarveASinkWrite() throws Exception {
        try (TestDatabase fresh = database.another()) {
            try (PostgresDatabase migrating = new PostgresDatabase(fresh.settings())) {
                migrating.migrate("db/test", "test_schema_history");
            }
            PostgresDatabase db = new PostgresDatabase(fresh.settings().withMaxPoolSize(1)
                    .withConnectTimeout(Duration.ofSeconds(1)).withJobs(3, Duration.ofMinutes(30)));
            JobConnections load = db.jobConnections("tracking-load", 3);
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(load.getConnection());   // a long load: the lock and two files at once
                }
                new BatchInsertSink<>(db.dataSource(), BatchInsertSinkTest.NOTES, BatchInsertSinkTest.NOTE_ROW)
                        .write(List.of(Deliveries.delivery("m-1", new BatchInsertSinkTest.Note("m-1", "b", "c", 1,
                                null))));
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
                db.close();
            }
            try (Connection c = fresh.connect(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT count(*) FROM notes")) {
                rows.next();
                assertThat(rows.getInt(1)).isOne();
            }
        }
    }

    @Test
    void jobsAskingForMoreConnectionsThanTheJobPoolHoldsAreRefusedNamingTheSetting() {
        try (PostgresDatabase db = new PostgresDatabase(database.settings().withJobs(4, Duration.ofMinutes(30)))) {
            db.jobConnections("tracking-load", 3);

            assertThatThrownBy(() -> db.jobConnections("tracking-charts", 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("postgres.jobPoolSize is 4, but the scheduled jobs hold up to 5 connections at once "
                            + "{tracking-load=3, tracking-charts=2}; set postgres.jobPoolSize to at least 5");
        }
    }

    @Test
    void aMigrationMayRunLongerThanASinksStatementTimeout() throws Exception {
        try (TestDatabase fresh = database.another();
             PostgresDatabase db = new PostgresDatabase(fresh.settings().withTimeouts(Duration.ofSeconds(3),
                     Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            assertThat(db.migrate("db/slow", "slow_schema_history")).isOne();

            assertThat(tables(fresh)).contains("slow_migrated");
        }
    }

    @Test
    void migrateCreatesTablesOnceAndThenDoesNothing() throws Exception {
        try (TestDatabase fresh = database.another(); PostgresDatabase db = new PostgresDatabase(fresh.settings())) {
            db.checkConnection();

            assertThat(db.migrate("db/test", "test_schema_history")).isEqualTo(1);
            assertThat(db.migrate("classpath:db/test", "test_schema_history")).isZero();

            assertThat(tables(fresh)).contains("notes", "wide_rows", "test_errors", "test_schema_history");
        }
    }

    @Test
    void pipelinesVersionIndependentlyInOneDatabase() throws Exception {
        try (TestDatabase fresh = database.another(); PostgresDatabase db = new PostgresDatabase(fresh.settings())) {
            db.migrate("db/test", "test_schema_history");

            assertThat(db.migrate("db/other", "other_schema_history"))
                    .as("the other pipeline's V1 runs although the schema already holds tables")
                    .isEqualTo(1);
            assertThat(db.migrate("db/other", "other_schema_history")).isZero();
            assertThat(tables(fresh)).contains("other_rows", "other_schema_history");
        }
    }

    @Test
    void missingMigrationLocationIsAnError() {
        try (PostgresDatabase db = new PostgresDatabase(database.settings())) {
            assertThatThrownBy(() -> db.migrate("db/does_not_exist", "x_schema_history"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("migrating classpath:db/does_not_exist on " + database.settings().redactedUrl()
                            + " failed: ")
                    .hasCauseInstanceOf(FlywayException.class);
        }
    }

    @Test
    void historyTableMustBeAnIdentifier() {
        try (PostgresDatabase db = new PostgresDatabase(database.settings())) {
            assertThatThrownBy(() -> db.migrate("db/test", "History"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'History'");
        }
    }

    private static List<String> tables(TestDatabase database) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
