package dev.sluice.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files written by DuckDB, a Parquet implementation independent of parquet-java, checked against DuckDB's own SUM. */
class DuckDbWrittenFileTest {

    /** 100,000 rows over 37 users and 3 event types, durations 1..10, every 13th row a null somewhere. */
    private static final String ROWS = """
            SELECT CASE WHEN i % 13 = 0 THEN NULL ELSE 'user_' || (i % 37) END AS UserID,
                   (['roadside', 'battle', 'menu'])[1 + i % 3] AS EventType,
                   CASE WHEN i % 26 = 1 THEN NULL ELSE (i * 7) % 10 + 1 END::BIGINT AS EventDuration
            FROM range(100000) t(i)""";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zstd", "snappy", "gzip", "uncompressed"})
    void sumsMatchDuckDbOnItsOwnFile(String compression) throws Exception {
        Path file = dir.resolve("duck-" + compression + ".parquet");
        Map<String, Long> expected = new TreeMap<>();
        long expectedNullRows;
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            execute(duck, "COPY (" + ROWS + ") TO '" + file + "' (FORMAT PARQUET, COMPRESSION " + compression
                    + ", ROW_GROUP_SIZE 10000)");
            try (var result = duck.createStatement().executeQuery("SELECT UserID, EventType, sum(EventDuration)"
                    + " FROM read_parquet('" + file + "') WHERE UserID IS NOT NULL AND EventDuration IS NOT NULL"
                    + " GROUP BY ALL")) {
                while (result.next()) {
                    expected.put(result.getString(1) + "|" + result.getString(2), result.getLong(3));
                }
            }
            try (var result = duck.createStatement().executeQuery("SELECT count(*) FROM read_parquet('" + file
                    + "') WHERE UserID IS NULL OR EventDuration IS NULL")) {
                result.next();
                expectedNullRows = result.getLong(1);
            }
        }

        // DuckDB's SUM leaves nulls out; the aggregator does the same in SKIP mode.
        EventDurationTotals totals = new EventDurationAggregator(new EventDurationAggregator.Rules(
                dev.sluice.parquet.totals.NullRows.SKIP, null, null)).aggregate(file);

        assertThat(expected).hasSize(37 * 3);
        assertThat(totals.rows()).isEqualTo(100_000);
        assertThat(totals.rowGroups()).isEqualTo(10);
        assertThat(totals.skippedNullRows()).isEqualTo(expectedNullRows).isPositive();
        assertThat(AggregateInChildJvm.flat(totals)).isEqualTo(expected);
    }

    /** V2 makes DuckDB store the strings DELTA_LENGTH_BYTE_ARRAY and the integers DELTA_BINARY_PACKED. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"V1", "V2"})
    void highCardinalityStringsFromDuckDbReadValueByValue(String parquetVersion) throws Exception {
        Path file = dir.resolve("unique-" + parquetVersion + ".parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            execute(duck, "COPY (SELECT md5(i::VARCHAR) || '-' || i AS UserID, 'menu' AS EventType,"
                    + " i::BIGINT AS EventDuration FROM range(50000) t(i)) TO '" + file
                    + "' (FORMAT PARQUET, COMPRESSION snappy, ROW_GROUP_SIZE 20000, PARQUET_VERSION "
                    + parquetVersion + ")");
        }

        long row = 0;
        try (var reader = ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS)) {
            for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
                for (int r = 0; r < batch.rows(); r++, row++) {
                    long i = batch.int64s(2).value(r);
                    assertThat(i).isEqualTo(row);
                    assertThat(batch.strings(0).value(r)).endsWith("-" + i).hasSize(33 + Long.toString(i).length());
                }
                assertThat(batch.strings(0).dictionarySize()).isEqualTo(batch.rows());
            }
        }
        assertThat(row).isEqualTo(50_000);
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static Path duckDbFile(Path dir, String name, String select) throws SQLException, IOException {
        Path file = dir.resolve(name);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            execute(duck, "COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
        }
        return file;
    }
}
