package dev.sluice.postgres;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.Sql;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@OnEachPostgres
class PostgresErrorSinkTest {

    @Parameter
    TestDatabase database;

    PostgresDatabase db;

    @BeforeEach
    void createTable() throws SQLException {
        db = new PostgresDatabase(database.settings());
        Sql.execute(database.jdbcUrl(), "DROP TABLE IF EXISTS rejects");
        Sql.execute(database.jdbcUrl(), PostgresErrorSink.createTableSql("rejects"));
    }

    @AfterEach
    void closePool() {
        db.close();
    }

    @Test
    void rejectsOfEveryKindOfSourceAreStoredOnceUnderTheirSourceAndNaturalKey() throws Exception {
        PostgresErrorSink sink = new PostgresErrorSink(db.dataSource(), "rejects");
        List<Rejected> rejects = List.of(
                reject(new SourceCoordinates.Queue("orders", "m-1", 1), "not json"),
                reject(new SourceCoordinates.Stream("clicks", "shard-1", "4959"), "{\"a\": 1}"),
                reject(new SourceCoordinates.StoredObject("files", "2026/a.csv", "e1"), "x,y"),
                reject(new SourceCoordinates.Queue("other", "m-1", 1), "same id, other queue"));

        sink.write(rejects);
        sink.write(rejects);
        sink.write(List.of(reject(new SourceCoordinates.Queue("orders", "m-1", 2), "not json")));

        assertThat(rows("SELECT source || ' ' || natural_key || ' ' || coordinates || ' ' || raw_body FROM rejects"
                + " ORDER BY id")).containsExactly(
                "sqs:orders m-1 sqs:orders/m-1#1 not json",
                "kinesis:clicks shard-1@4959 kinesis:clicks/shard-1@4959 {\"a\": 1}",
                "s3:files files/2026/a.csv@e1 s3:files/2026/a.csv@e1 x,y",
                "sqs:other m-1 sqs:other/m-1#1 same id, other queue");
    }

    @Test
    void aBodyPostgresTextCannotHoldIsStoredEscaped() throws Exception {
        PostgresErrorSink sink = new PostgresErrorSink(db.dataSource(), "rejects");

        sink.write(List.of(reject(new SourceCoordinates.Queue("orders", "m-1", 1), "{\"a\":\"\u0000\ud800\"}")));

        assertThat(rows("SELECT raw_body FROM rejects")).containsExactly("{\"a\":\"\\u0000\\ud800\"}");
    }

    private static Rejected reject(SourceCoordinates coordinates, String body) {
        return new Rejected(new Message(body, coordinates, Instant.parse("2026-01-02T03:04:05Z"), "receipt"),
                "body: expected a JSON object");
    }

    private List<String> rows(String sql) throws SQLException {
        return Sql.rows(database.jdbcUrl(), sql);
    }
}
