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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An error table of layout source (the lake's lake_errors) on real Postgres takes any reject: what text cannot hold
 * is escaped, over-long coordinates cut, a redelivered reject adds nothing.
 */
@OnEachPostgres
class SourceErrorSinkTest {

    @Parameter
    TestDatabase database;

    PostgresDatabase db;

    @BeforeEach
    void open() throws SQLException {
        db = new PostgresDatabase(database.settings());
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS source_errors");
            s.execute(SourceErrorSink.createTableSql("source_errors"));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void storesAnyBodyReasonAndCoordinatesEvenWhatPostgresTextCannotHold() throws Exception {
        String longKey = "x".repeat(200) + "y".repeat(7_999);
        String body = "{\"event_uuid\":\"a\u0000b\",\"lone\":\"\ud800\"}";
        Rejected fromStream = new Rejected(new Message(body, new SourceCoordinates.Stream("product-events",
                "shardId-000000000000\u0000", "42"), Instant.EPOCH, "42"), "event_uuid: reason with \u0000");
        Rejected first = rejectOf(longKey + "1");
        Rejected second = rejectOf(longKey + "2");

        new SourceErrorSink(db.dataSource(), "source_errors").write(List.of(fromStream, first, second));
        new SourceErrorSink(db.dataSource(), "source_errors").write(List.of(first));

        List<List<String>> rows = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT source, reason, raw_body FROM source_errors ORDER BY id")) {
            while (rs.next()) {
                rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsExactly("kinesis:product-events/shardId-000000000000\\u0000@42",
                "event_uuid: reason with \\u0000", "{\"event_uuid\":\"a\\u0000b\",\"lone\":\"\\ud800\"}");
        assertThat(rows.get(1).get(0)).startsWith("s3:").contains("cut from")
                .hasSizeLessThanOrEqualTo(StorableText.MAX_KEY_CHARS).isNotEqualTo(rows.get(2).get(0));
    }

    private static Rejected rejectOf(String key) {
        return new Rejected(new Message("{}", new SourceCoordinates.StoredObject("lake", key, "etag"), Instant.EPOCH,
                "r"), "r");
    }
}
