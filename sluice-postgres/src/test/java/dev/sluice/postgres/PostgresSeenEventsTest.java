package dev.sluice.postgres;

import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@OnEachPostgres
class PostgresSeenEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:30:00.123456Z");

    @Parameter
    TestDatabase database;

    PostgresDatabase db;

    @BeforeEach
    void createTable() throws SQLException {
        db = new PostgresDatabase(database.settings());
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS seen_test");
            s.execute(PostgresSeenEvents.createTableSql("seen_test"));
        }
    }

    @AfterEach
    void closePool() {
        db.close();
    }

    @Test
    void recordsAreFoundByAnotherInstanceAfterARestartAndRecordingTwiceChangesNothing() throws Exception {
        List<SeenEvent> events = IntStream.range(0, 2_000)
                .mapToObj(i -> new SeenEvent("uuid-" + i, NOW.minusSeconds(i))).toList();
        Instant arrived = NOW.minus(Duration.ofHours(1));
        new PostgresSeenEvents(db.dataSource(), "seen_test").record(events, arrived);
        new PostgresSeenEvents(db.dataSource(), "seen_test").record(events.subList(0, 10), arrived);

        db.close();
        db = new PostgresDatabase(database.settings());
        PostgresSeenEvents restarted = new PostgresSeenEvents(db.dataSource(), "seen_test");

        assertThat(restarted.recorded(List.of("uuid-0", "uuid-1999", "uuid-2000", "x"))).containsExactlyInAnyOrder(
                "uuid-0", "uuid-1999");
        List<SeenEvent> loaded = new ArrayList<>();
        restarted.forEachSince(NOW.minusSeconds(99), loaded::add);
        assertThat(loaded).containsExactlyInAnyOrderElementsOf(events.subList(0, 100));
    }

    @Test
    void forgettingDeletesOnlyEventsRememberedFromBeforeTheCutoff() throws Exception {
        PostgresSeenEvents seen = new PostgresSeenEvents(db.dataSource(), "seen_test");
        seen.record(List.of(new SeenEvent("old", NOW.minus(Duration.ofHours(25))),
                new SeenEvent("edge", NOW.minus(Duration.ofHours(24))),
                new SeenEvent("young", NOW.minus(Duration.ofHours(1)))), NOW.minus(Duration.ofHours(30)));
        // Three days late, arrived now: remembered from its arrival.
        seen.record(List.of(new SeenEvent("late", NOW.minus(Duration.ofDays(3)))), NOW);

        long forgotten = seen.forgetBefore(NOW.minus(Duration.ofHours(24)));

        assertThat(forgotten).isEqualTo(1);
        assertThat(seen.recorded(List.of("old", "edge", "young", "late")))
                .containsExactlyInAnyOrder("edge", "young", "late");
    }

    @Test
    void keysAreDataNotSql() throws Exception {
        PostgresSeenEvents seen = new PostgresSeenEvents(db.dataSource(), "seen_test");
        String key = "x'); DROP TABLE seen_test; -- \"{,}\\";
        seen.record(List.of(new SeenEvent(key, NOW)), NOW);
        assertThat(seen.recorded(List.of(key))).containsExactly(key);
    }

    @Test
    void aLedgerRowGoesOnlyWithTheRecordOfItsFilesEventsOrWhenSettled() throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS seen_test, seen_test_storing, sluice_history_seen_test");
        }
        db.migrate("db/seen-events", "sluice_history_seen_test", Map.of("table", "seen_test"));
        PostgresSeenEvents seen = new PostgresSeenEvents(db.dataSource(), "seen_test", "seen_test_storing");
        seen.storing("p/day=1/a.parquet");
        seen.storing("p/day=1/b.parquet");
        seen.storing("p/day=1/c.parquet");

        // A key Postgres refuses (NUL) fails the record: the row stays with the events unrecorded.
        assertThatThrownBy(() -> seen.record(List.of(new SeenEvent("e-1", NOW), new SeenEvent("e-\u0000", NOW)), NOW,
                "p/day=1/a.parquet")).isInstanceOf(SQLException.class);
        assertThat(seen.recorded(List.of("e-1"))).isEmpty();
        assertThat(seen.unsettled()).containsExactlyInAnyOrder("p/day=1/a.parquet", "p/day=1/b.parquet",
                "p/day=1/c.parquet");

        seen.record(List.of(new SeenEvent("e-1", NOW)), NOW, "p/day=1/a.parquet");
        seen.settled("p/day=1/b.parquet");

        assertThat(seen.recorded(List.of("e-1"))).containsExactly("e-1");
        assertThat(seen.unsettled()).containsExactly("p/day=1/c.parquet");
    }
}
