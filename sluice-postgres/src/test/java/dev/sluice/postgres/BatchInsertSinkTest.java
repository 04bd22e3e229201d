package dev.sluice.postgres;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.sluice.postgres.Deliveries.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@OnEachPostgres
class BatchInsertSinkTest {

    record Note(String id, String body, String shortCode, Integer amount, Instant createdAt) {
    }

    static final TableSpec NOTES = new TableSpec("notes",
            List.of("message_id", "body", "short_code", "amount", "created_at"), "message_id");
    static final RowMapper<Note> NOTE_ROW = d -> new Object[]{
            d.value().id(), d.value().body(), d.value().shortCode(), d.value().amount(), d.value().createdAt()};

    @Parameter
    TestDatabase database;

    PostgresDatabase db;
    BatchInsertSink<Note> notes;

    @BeforeEach
    void createTables() throws SQLException {
        db = new PostgresDatabase(database.settings());
        db.migrate("db/test", "test_schema_history");
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE notes, wide_rows, strict_rows");
        }
        notes = new BatchInsertSink<>(db.dataSource(), NOTES, NOTE_ROW);
    }

    @AfterEach
    void closePool() {
        db.close();
    }

    @Test
    void storesEveryValueVerbatim() throws Exception {
        Instant at = Instant.parse("2026-03-04T05:06:07.123456Z");
        List<Note> written = List.of(
                new Note("m-1", "'; DROP TABLE notes; --", "ab'c", 42, at),
                new Note("m-2", "quote \" backslash \\ \\N tab\t newline\n cr\r percent % question ?", "\\", -7, at),
                new Note("m-3", "日本語 ünïcödé 😀 𝄞 \u200b", "😀😀", Integer.MAX_VALUE, at),
                new Note("m-4", null, null, null, null),
                new Note("m-5", "$1 $$ dollar-quoted $$ :name ?", "", 0, Instant.EPOCH));

        notes.write(written.stream().map(n -> delivery(n.id(), n)).toList());

        assertThat(readNotes()).containsExactlyInAnyOrderElementsOf(written);
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")) {
            tables.next();
            assertThat(tables.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void writingTheSameDeliveriesTwiceKeepsOneRowEach() throws Exception {
        List<Delivery<Note>> batch = List.of(
                delivery("m-1", new Note("m-1", "first", "a", 1, Instant.EPOCH)),
                delivery("m-2", new Note("m-2", "second", "b", 2, Instant.EPOCH)));

        notes.write(batch);
        notes.write(batch);
        notes.write(List.of(batch.get(1), batch.get(0), batch.get(1)));

        assertThat(readNotes()).extracting(Note::id).containsExactlyInAnyOrder("m-1", "m-2");
    }

    @Test
    void redeliveryDoesNotOverwriteTheFirstRow() throws Exception {
        notes.write(List.of(delivery("m-1", new Note("m-1", "original", "a", 1, Instant.EPOCH))));
        notes.write(List.of(delivery("m-1", new Note("m-1", "changed", "b", 2, Instant.EPOCH))));

        assertThat(readNotes()).extracting(Note::body).containsExactly("original");
    }

    @Test
    void batchLargerThanOneChunkLandsWhole() throws Exception {
        TableSpec wide = new TableSpec("wide_rows",
                List.of("message_id", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"), "message_id");
        BatchInsertSink<Integer> sink = new BatchInsertSink<>(db.dataSource(), wide, d -> new Object[]{
                "m-" + d.value(), "a" + d.value(), "b", "c", "d", "e", "f", "g", "h", d.value()});
        List<Delivery<Integer>> batch = IntStream.range(0, 5_000).mapToObj(i -> delivery("m-" + i, i)).toList();

        sink.write(batch);

        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT message_id), sum(c9) FROM wide_rows "
                     + "WHERE c1 = 'a' || c9 AND message_id = 'm-' || c9")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(5_000);
            assertThat(rs.getInt(2)).isEqualTo(5_000);
            assertThat(rs.getLong(3)).isEqualTo(4_999L * 5_000 / 2);
        }
    }

    @Test
    void valueTooLongForItsColumnIsRefusedWithoutTheValue() throws Exception {
        String secret = "secret-value-123";
        List<Delivery<Note>> batch = List.of(
                delivery("m-ok", new Note("m-ok", "fine", "ok", 1, Instant.EPOCH)),
                delivery("m-bad", new Note("m-bad", "fine", secret, 2, Instant.EPOCH)));

        assertThatThrownBy(() -> notes.write(batch))
                .isInstanceOf(DestinationRejectedException.class)
                .hasMessageContaining("table notes")
                .hasMessageContaining("value too long")
                .hasMessageContaining("22001")
                .hasMessageNotContaining(secret)
                .hasNoCause();
        assertThat(readNotes()).as("the whole batch is one transaction").isEmpty();
    }

    @Test
    void constraintViolationsAreRefusedNamingColumnOrConstraintButNoValue() {
        BatchInsertSink<Integer> strict = new BatchInsertSink<>(db.dataSource(),
                new TableSpec("strict_rows", List.of("message_id", "amount"), "message_id"),
                d -> new Object[]{d.source().coordinates().describe(), d.value()});

        assertThatThrownBy(() -> strict.write(List.of(delivery("m-1", (Integer) null))))
                .isInstanceOf(DestinationRejectedException.class)
                .hasMessageContaining("column amount")
                .hasMessageContaining("23502")
                .hasMessageNotContaining("m-1");
        assertThatThrownBy(() -> strict.write(List.of(delivery("m-2", -987654))))
                .isInstanceOf(DestinationRejectedException.class)
                .hasMessageContaining("constraint amount_not_negative")
                .hasMessageContaining("23514")
                .hasMessageNotContaining("987654")
                .hasMessageNotContaining("m-2");
    }

    @Test
    void aMissingTableIsAPermanentFailureNamingTheTable() {
        BatchInsertSink<Note> missingTable = new BatchInsertSink<>(db.dataSource(),
                new TableSpec("no_such_table", NOTES.columns(), "message_id"), NOTE_ROW);

        assertThatThrownBy(() -> missingTable.write(List.of(delivery("m-1", new Note("m-1", "b", "c", 1, null)))))
                .isInstanceOf(PermanentFailureException.class)
                .hasMessage("table no_such_table: table does not exist (SQLState 42P01)");
    }

    @Test
    void aTableTheSinksRoleCannotWriteIsAPermanentFailureWithoutAValue() throws Exception {
        String role = "sluice_reader_" + database.name().substring("sluice_test_".length());
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN");
        }
        try (PostgresDatabase asReader = new PostgresDatabase(new PostgresSettings(
                database.jdbcUrl().replace("user=postgres", "user=" + role)))) {
            BatchInsertSink<Note> sink = new BatchInsertSink<>(asReader.dataSource(), NOTES, NOTE_ROW);

            assertThatThrownBy(() -> sink.write(List.of(delivery("m-1",
                    new Note("m-1", "secret-body", "sc", 7, null)))))
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessage("table notes: permission denied (insufficient privilege) (SQLState 42501)")
                    .hasNoCause();
        } finally {
            try (Connection c = database.connect(); Statement s = c.createStatement()) {
                s.execute("DROP ROLE " + role);
            }
        }
        assertThat(readNotes()).isEmpty();
    }

    @Test
    void badIdentifiersAreRefusedByName() {
        assertThatThrownBy(() -> new TableSpec("notes; DROP TABLE notes", List.of("message_id"), "message_id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'notes; DROP TABLE notes'");
        assertThatThrownBy(() -> new TableSpec("notes", List.of("message_id", "Body"), "message_id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column name 'Body'");
        assertThatThrownBy(() -> new TableSpec("notes", List.of("message_id"), "id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conflictColumn 'id'");
    }

    @Test
    void mapperReturningTheWrongNumberOfValuesIsABug() {
        BatchInsertSink<Note> broken = new BatchInsertSink<>(db.dataSource(), NOTES, d -> new Object[]{"only one"});

        assertThatThrownBy(() -> broken.write(List.of(delivery("m-1", new Note("m-1", null, null, null, null)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 1 values")
                .hasMessageContaining("expected 5");
    }

    private List<Note> readNotes() throws SQLException {
        List<Note> rows = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT message_id, body, short_code, amount, created_at FROM notes")) {
            while (rs.next()) {
                var created = rs.getObject(5, java.time.OffsetDateTime.class);
                rows.add(new Note(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, Integer.class), created == null ? null : created.toInstant()));
            }
        }
        return rows;
    }
}
