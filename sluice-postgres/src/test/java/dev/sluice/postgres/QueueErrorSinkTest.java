package dev.sluice.postgres;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;
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
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@OnEachPostgres
class QueueErrorSinkTest {

    @Parameter
    TestDatabase database;

    PostgresDatabase db;

    @BeforeEach
    void createTables() throws SQLException {
        db = new PostgresDatabase(database.settings());
        db.migrate("db/test", "test_schema_history");
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE test_errors");
        }
    }

    @AfterEach
    void closePool() {
        db.close();
    }

    @Test
    void storesReasonRawBodyAndQueueCoordinates() throws Exception {
        QueueErrorSink sink = new QueueErrorSink(db.dataSource(), "test_errors");
        String body = "not json '; DROP TABLE test_errors; -- 😀 \\";
        Instant before = Instant.now();

        sink.write(List.of(reject("login-queue", "msg-1", 3, body, "body is not JSON")));

        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT queue, message_id, receive_count, reason, raw_body, rejected_at FROM test_errors")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("queue")).isEqualTo("login-queue");
            assertThat(rs.getString("message_id")).isEqualTo("msg-1");
            assertThat(rs.getInt("receive_count")).isEqualTo(3);
            assertThat(rs.getString("reason")).isEqualTo("body is not JSON");
            assertThat(rs.getString("raw_body")).isEqualTo(body);
            assertThat(rs.getObject("rejected_at", OffsetDateTime.class).toInstant())
                    .isCloseTo(before, within(java.time.Duration.ofMinutes(1)));
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void writingTheSameRejectsTwiceKeepsOneRowEach() throws Exception {
        QueueErrorSink sink = new QueueErrorSink(db.dataSource(), "test_errors");
        List<Rejected> rejects = List.of(reject("q", "msg-1", 1, "a", "r"), reject("q", "msg-2", 1, "b", "r"));

        sink.write(rejects);
        sink.write(rejects);
        sink.write(List.of(reject("q", "msg-1", 2, "a", "redelivered")));

        assertThat(count("SELECT count(*) FROM test_errors")).isEqualTo(2);
        assertThat(count("SELECT receive_count FROM test_errors WHERE message_id = 'msg-1'")).isEqualTo(1);
    }

    @Test
    void publishedDdlMakesAWorkingErrorTable() throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(QueueErrorSink.createTableSql("public.login_errors"));
        }
        QueueErrorSink sink = new QueueErrorSink(db.dataSource(), "public.login_errors");

        sink.write(List.of(reject("q", "msg-1", 1, "x", "r")));
        sink.write(List.of(reject("q", "msg-1", 1, "x", "r")));

        assertThat(count("SELECT count(*) FROM login_errors")).isEqualTo(1);
    }

    /**
     * What Postgres text cannot hold (NUL, a lone surrogate) and coordinates past the unique index's row limit: the
     * reject is stored all the same, escaped or cut with a marker, and two long ids that share their beginning stay
     * two rows.
     */
    @Test
    void storesAnyBodyReasonAndCoordinatesEvenWhatPostgresTextCannotHold() throws Exception {
        QueueErrorSink sink = new QueueErrorSink(db.dataSource(), "test_errors");
        String longId = randomLetters(8_000);
        String body = "{\"a\":\"\u0000\",\"b\":\"\ud800\"}";

        sink.write(List.of(reject("q\u0000", longId + "1", 1, body, "reason with \u0000"),
                reject("q", longId + "2", 1, body, "r")));
        sink.write(List.of(reject("q", "msg-after", 1, "fine", "r")));

        assertThat(count("SELECT count(*) FROM test_errors")).isEqualTo(3);
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT queue, message_id, reason, raw_body FROM test_errors"
                     + " WHERE reason LIKE 'reason%'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("queue")).isEqualTo("q\\u0000");
            assertThat(rs.getString("message_id")).startsWith(longId.substring(0, 100)).contains("cut from 8001 chars")
                    .hasSizeLessThanOrEqualTo(StorableText.MAX_KEY_CHARS);
            assertThat(rs.getString("reason")).isEqualTo("reason with \\u0000");
            assertThat(rs.getString("raw_body")).isEqualTo("{\"a\":\"\\u0000\",\"b\":\"\\ud800\"}");
        }
    }

    /** Random letters and digits: about 6 bits each, so Postgres cannot compress them under the index limit. */
    static String randomLetters(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        java.util.Random random = new java.util.Random(11);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    @Test
    void refusesRejectsFromOtherSources() {
        QueueErrorSink sink = new QueueErrorSink(db.dataSource(), "test_errors");
        Message fromStream = new Message("{}", new SourceCoordinates.Stream("product-events", "shard-0", "42"),
                Instant.EPOCH, "42");

        assertThatThrownBy(() -> sink.write(List.of(new Rejected(fromStream, "bad"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kinesis:product-events/shard-0@42");
    }

    @Test
    void refusesAnInvalidTableName() {
        assertThatThrownBy(() -> new QueueErrorSink(db.dataSource(), "errors\"; --"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table name 'errors\"; --'");
    }

    private static Rejected reject(String queue, String messageId, int receiveCount, String body, String reason) {
        return new Rejected(new Message(body, new SourceCoordinates.Queue(queue, messageId, receiveCount),
                Instant.EPOCH, "receipt"), reason);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
