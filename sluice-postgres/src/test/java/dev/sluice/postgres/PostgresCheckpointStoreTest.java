package dev.sluice.postgres;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@OnEachPostgres
class PostgresCheckpointStoreTest {

    /** Sequence numbers as the emulator and Kinesis hand them out: 56 digits, more than a long holds. */
    private static final String EARLY = "49680467789953230099556220274829861336178754670005583874";
    private static final String LATE = "49680467789953230099556220274829861336178754670005583999";

    @Parameter
    TestDatabase database;

    PostgresDatabase db;
    PostgresCheckpointStore store;

    @BeforeEach
    void createTable() throws SQLException {
        db = new PostgresDatabase(database.settings());
        PostgresCheckpointStore.migrate(db, "test_checkpoints");
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE test_checkpoints");
        }
        store = new PostgresCheckpointStore(db.dataSource(), "test_checkpoints");
    }

    @AfterEach
    void closePool() {
        db.close();
    }

    @Test
    void aMissingCheckpointTableIsAPermanentFailure() {
        PostgresCheckpointStore missing = new PostgresCheckpointStore(db.dataSource(), "no_checkpoints");

        assertThatThrownBy(() -> missing.save("events", List.of(new Checkpoint("shard-0", EARLY, false))))
                .isInstanceOf(PermanentFailureException.class)
                .hasMessage("table no_checkpoints: table does not exist (SQLState 42P01)");
        assertThatThrownBy(() -> missing.load("events"))
                .isInstanceOf(PermanentFailureException.class)
                .hasMessage("table no_checkpoints: table does not exist (SQLState 42P01)");
    }

    @Test
    void checkpointsReadBackPerStream() throws Exception {
        store.save("events", List.of(new Checkpoint("shard-0", EARLY, false), new Checkpoint("shard-1", null, true)));
        store.save("other", List.of(new Checkpoint("shard-0", LATE, false)));

        assertThat(store.load("events")).containsOnlyKeys("shard-0", "shard-1")
                .containsEntry("shard-0", new Checkpoint("shard-0", EARLY, false))
                .containsEntry("shard-1", new Checkpoint("shard-1", null, true));
        assertThat(store.load("other")).containsEntry("shard-0", new Checkpoint("shard-0", LATE, false));
        assertThat(store.load("none")).isEmpty();
    }

    @Test
    void aCheckpointNeverMovesBackwards() throws Exception {
        store.save("events", List.of(new Checkpoint("shard-0", LATE, false)));

        store.save("events", List.of(new Checkpoint("shard-0", EARLY, false)));
        store.save("events", List.of(new Checkpoint("shard-0", "9", false)));

        assertThat(store.load("events").get("shard-0").sequenceNumber()).isEqualTo(LATE);
    }

    @Test
    void aFinishedShardStaysFinishedAtItsLastPosition() throws Exception {
        store.save("events", List.of(new Checkpoint("shard-0", EARLY, false)));
        store.save("events", List.of(new Checkpoint("shard-0", LATE, true)));

        store.save("events", List.of(new Checkpoint("shard-0", EARLY, false)));

        assertThat(store.load("events").get("shard-0")).isEqualTo(new Checkpoint("shard-0", LATE, true));
    }

    @Test
    void aFinishWithoutANewPositionKeepsTheStoredOne() throws Exception {
        store.save("events", List.of(new Checkpoint("shard-0", LATE, false)));

        store.save("events", List.of(new Checkpoint("shard-0", null, true)));

        assertThat(store.load("events").get("shard-0")).isEqualTo(new Checkpoint("shard-0", LATE, true));
    }

    @Test
    void streamAndShardNamesAreDataNotSql() throws Exception {
        String stream = "events'; DROP TABLE test_checkpoints; --";

        store.save(stream, List.of(new Checkpoint("shard-0'", EARLY, false)));

        assertThat(store.load(stream)).containsOnlyKeys("shard-0'");
    }

    @Test
    void aTableNameThatIsNotAnIdentifierIsRefused() {
        assertThatThrownBy(() -> new PostgresCheckpointStore(db.dataSource(), "checkpoints; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoints; DROP TABLE x");
    }
}
