package dev.sluice.postgres;

import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@OnEachPostgres
class PostgresDatabaseTest {

    @Parameter
    TestDatabase database;

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
