package dev.sluice.parquet;

import dev.sluice.parquet.totals.NullRows;
import dev.sluice.parquet.EventDurationAggregator.Rules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The playtime rules: each bad row makes the whole file bad with a reason naming the row and the rule. */
class EventDurationAggregatorTest {
    @TempDir
    Path dir;

    private final EventDurationAggregator aggregator = new EventDurationAggregator(Rules.DEFAULTS);

    /** Writes rows {user, type, duration} in row groups of 2. */
    private Path file(Object[]... rows) throws IOException {
        Path file = dir.resolve("f" + System.nanoTime() + ".parquet");
        try (var writer = EventDurationFileWriter.create(file, Compression.SNAPPY, 2, true)) {
            for (Object[] row : rows) {
                writer.write((String) row[0], (String) row[1], (Long) row[2]);
            }
        }
        return file;
    }

    private static Object[] row(String user, String type, Long seconds) {
        return new Object[]{user, type, seconds};
    }

    @Test
    void sumsPerUserAndTypeAcrossRowGroups() throws IOException {
        EventDurationTotals totals = aggregator.aggregate(file(row("user_1", "battle", 5L), row("user_2", "menu", 3L),
                row("user_1", "battle", 7L), row("user_1", "menu", 1L), row("user_2", "menu", 4L)));

        assertThat(totals.perUser()).isEqualTo(new TreeMap<>(Map.of(
                "user_1", Map.of("battle", 12L, "menu", 1L),
                "user_2", Map.of("menu", 7L))));
        assertThat(totals.total()).isEqualTo(20);
        assertThat(totals.rows()).isEqualTo(5);
        assertThat(totals.rowGroups()).isEqualTo(3);
    }

    @Test
    void usersAndTypesFirstSeenInLaterRowGroupsAreAddedToTheRightTotals() throws IOException {
        // 40 users in row groups of 2 (past any initial capacity), then a type that only later row groups have.
        Object[][] rows = new Object[43][];
        Map<String, Map<String, Long>> expected = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            rows[i] = row("user_" + i, "battle", (long) i);
            expected.put("user_" + i, new TreeMap<>(Map.of("battle", (long) i)));
        }
        rows[40] = row("user_39", "menu", 2L);
        rows[41] = row("user_0", "menu", 3L);
        rows[42] = row("user_40", "roadside", 4L);
        expected.get("user_39").put("menu", 2L);
        expected.get("user_0").put("menu", 3L);
        expected.put("user_40", Map.of("roadside", 4L));

        EventDurationTotals totals = aggregator.aggregate(file(rows));

        assertThat(totals.perUser()).isEqualTo(expected);
        assertThat(totals.perUser().firstKey()).isEqualTo("user_0");
        assertThat(totals.rowGroups()).isEqualTo(22);
    }

    @Test
    void aNullValueMakesTheFileBadNamingTheRowAndColumn() throws IOException {
        Path nullUser = file(row("user_1", "battle", 5L), row("user_1", "menu", 1L), row(null, "menu", 2L));
        assertThatThrownBy(() -> aggregator.aggregate(nullUser))
                .isInstanceOf(BadParquetFileException.class).hasMessage("row 3: UserID is null");
        Path nullDuration = file(row("user_1", "battle", null));
        assertThatThrownBy(() -> aggregator.aggregate(nullDuration)).hasMessage("row 1: EventDuration is null");
        Path nullType = file(row("user_1", null, 1L));
        assertThatThrownBy(() -> aggregator.aggregate(nullType)).hasMessage("row 1: EventType is null");
    }

    @Test
    void skipModeLeavesNullRowsOutAndCountsThem() throws IOException {
        EventDurationTotals totals = new EventDurationAggregator(new Rules(NullRows.SKIP, null, null))
                .aggregate(file(row("user_1", "battle", 5L), row(null, "menu", 2L), row("user_1", "battle", null)));
        assertThat(totals.total()).isEqualTo(5);
        assertThat(totals.skippedNullRows()).isEqualTo(2);
    }

    @Test
    void negativeAndAbsurdDurationsMakeTheFileBad() throws IOException {
        Path negative = file(row("user_1", "battle", 5L), row("user_2", "battle", -1L));
        assertThatThrownBy(() -> aggregator.aggregate(negative)).hasMessage("row 2: EventDuration is negative");
        Path absurd = file(row("user_1", "battle", 86_401L));
        assertThatThrownBy(() -> aggregator.aggregate(absurd))
                .hasMessage("row 1: EventDuration exceeds 86400 seconds");
        assertThat(aggregator.aggregate(file(row("user_1", "battle", 86_400L))).total()).isEqualTo(86_400);
    }

    @Test
    void theReservedTypeAndEmptyNamesMakeTheFileBad() throws IOException {
        Path reserved = file(row("user_1", "total", 5L));
        assertThatThrownBy(() -> aggregator.aggregate(reserved))
                .hasMessage("column EventType: a value must not be empty or \"total\" (the field of the group's total)");
        Path emptyUser = file(row("", "battle", 5L));
        assertThatThrownBy(() -> aggregator.aggregate(emptyUser))
                .hasMessage("column UserID: empty values are not allowed");
    }

    @Test
    void tooManyDistinctUsersMakeTheFileBad() throws IOException {
        Path three = file(row("a", "battle", 1L), row("b", "battle", 1L), row("c", "battle", 1L));
        assertThatThrownBy(() -> new EventDurationAggregator(new Rules(null, null, 2)).aggregate(three))
                .hasMessage("file has more than 2 distinct UserID values");
    }

    @Test
    void aRowGroupWhoseIdGridIsTooLargeForAnArrayIsSummedCorrectly() throws IOException {
        // 2,000 users × 600 event types in one row group: 1.2 million cells, past the array limit of 2^20.
        Path file = dir.resolve("wide.parquet");
        Map<String, Long> expected = new TreeMap<>();
        try (var writer = EventDurationFileWriter.create(file, Compression.ZSTD, 10_000, true)) {
            for (int i = 0; i < 2_000; i++) {
                String user = "user_" + i;
                String type = "type_" + (i % 600);
                writer.write(user, type, (long) (i % 7));
                writer.write(user, type, 1L);
                expected.merge(user + "|" + type, (long) (i % 7) + 1, Long::sum);
            }
        }
        EventDurationTotals totals = aggregator.aggregate(file);
        assertThat(totals.rowGroups()).isEqualTo(1);
        assertThat(AggregateInChildJvm.flat(totals)).isEqualTo(expected);
    }

    @Test
    void rulesAreValidated() {
        assertThatThrownBy(() -> new Rules(null, -1L, null)).hasMessage("maxEventDuration must not be negative, was -1");
        assertThatThrownBy(() -> new Rules(null, null, 0)).hasMessage("maxUsers must be at least 1, was 0");
    }
}
