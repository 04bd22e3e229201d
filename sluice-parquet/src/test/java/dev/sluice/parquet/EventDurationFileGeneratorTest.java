package dev.sluice.parquet;

import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventDurationFileGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void theTotalsItReportsAreWhatDuckDbReadsFromTheFile() throws Exception {
        GeneratedFile generated = new EventDurationFileGenerator(7, 11).write(dir.resolve("a.parquet"), 300_000);

        Map<String, Map<String, Long>> read = new TreeMap<>();
        long rows;
        try (var duck = DriverManager.getConnection("jdbc:duckdb:");
             var statement = duck.createStatement()) {
            String file = generated.file().toString().replace("'", "''");
            try (ResultSet rs = statement.executeQuery("SELECT UserID, EventType, SUM(EventDuration) FROM '" + file
                    + "' GROUP BY ALL")) {
                while (rs.next()) {
                    read.computeIfAbsent(rs.getString(1), u -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), MIN(EventDuration), MAX(EventDuration), "
                    + "COUNT(DISTINCT UserID) FROM '" + file + "'")) {
                rs.next();
                rows = rs.getLong(1);
                assertThat(rs.getLong(2)).isEqualTo(EventDurationFileGenerator.MIN_DURATION);
                assertThat(rs.getLong(3)).isEqualTo(EventDurationFileGenerator.MAX_DURATION);
                assertThat(rs.getLong(4)).isEqualTo(7);
            }
        }
        assertThat(rows).isEqualTo(300_000).isEqualTo(generated.rows());
        assertThat(generated.perUser()).isEqualTo(read);
        assertThat(read.keySet()).containsExactlyInAnyOrder("user_1", "user_2", "user_3", "user_4", "user_5",
                "user_6", "user_7");
    }

    @Test
    void theSameSeedWritesTheSameRows() throws Exception {
        GeneratedFile first = new EventDurationFileGenerator(10, 5).write(dir.resolve("1.parquet"), 10_000);
        GeneratedFile second = new EventDurationFileGenerator(10, 5).write(dir.resolve("2.parquet"), 10_000);
        GeneratedFile other = new EventDurationFileGenerator(10, 6).write(dir.resolve("3.parquet"), 10_000);

        assertThat(second.perUser()).isEqualTo(first.perUser());
        assertThat(Files.mismatch(first.file(), second.file())).isEqualTo(-1);
        assertThat(other.perUser()).isNotEqualTo(first.perUser());
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new EventDurationFileGenerator(0, 1)).hasMessageContaining("users must be at least 1");
        assertThatThrownBy(() -> new EventDurationFileGenerator(1, 1).write(dir.resolve("x"), -1))
                .hasMessageContaining("rows must not be negative");
    }
}
