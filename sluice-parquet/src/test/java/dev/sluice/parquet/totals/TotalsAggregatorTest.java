package dev.sluice.parquet.totals;

import static dev.sluice.parquet.totals.TotalsFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.parquet.BadParquetFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sums over any group-by and summed columns, and the rules that make a file bad. */
class TotalsAggregatorTest {
    @TempDir
    Path dir;

    private static final Map<String, Class<?>> SESSIONS = new LinkedHashMap<>(Map.of());

    static {
        SESSIONS.put("player", String.class);
        SESSIONS.put("game", String.class);
        SESSIONS.put("mode", String.class);
        SESSIONS.put("seconds", Long.class);
        SESSIONS.put("kills", Long.class);
    }

    private Path file(int rowsPerGroup, Object[]... rows) throws IOException {
        return TotalsFiles.write(dir.resolve("f" + System.nanoTime() + ".parquet"), SESSIONS, rowsPerGroup,
                List.of(rows));
    }

    private static Aggregation sumOf(List<String> groupBy, List<String> sum, NullRows nullRows, Long maxValue) {
        return new Aggregation(groupBy, sum, nullRows, maxValue, null, null);
    }

    /** Sums as plain maps, so they compare by value. */
    private static Map<String, Map<String, List<Long>>> plain(FileTotals totals) {
        Map<String, Map<String, List<Long>>> plain = new TreeMap<>();
        totals.perGroup().forEach((group, fields) -> {
            Map<String, List<Long>> byField = new TreeMap<>();
            fields.forEach((field, sums) -> byField.put(field, java.util.Arrays.stream(sums).boxed().toList()));
            plain.put(group, byField);
        });
        return plain;
    }

    @Test
    void sumsEverySummedColumnPerCombinationOfTheGroupByColumnsAcrossRowGroups() throws IOException {
        Path file = file(2,
                row("p1", "chess", "blitz", 60L, 1L), row("p2", "chess", "blitz", 30L, 0L),
                row("p1", "chess", "blitz", 40L, 2L), row("p1", "go", "ranked", 5L, 0L),
                row("p2", "chess", "slow", 7L, 3L));

        FileTotals totals = new TotalsAggregator(sumOf(List.of("player", "game", "mode"), List.of("seconds", "kills"),
                null, null)).aggregate(file);

        assertThat(plain(totals)).isEqualTo(Map.of(
                "p1", Map.of("chess:blitz", List.of(100L, 3L), "go:ranked", List.of(5L, 0L)),
                "p2", Map.of("chess:blitz", List.of(30L, 0L), "chess:slow", List.of(7L, 3L))));
        assertThat(totals.total(0)).isEqualTo(142);
        assertThat(totals.total(1)).isEqualTo(6);
        assertThat(totals.rows()).isEqualTo(5);
        assertThat(totals.rowGroups()).isEqualTo(3);
    }

    @Test
    void aSingleGroupByColumnHasOneEmptyFieldPerGroup() throws IOException {
        Path file = file(10, row("p1", "chess", "blitz", 60L, 1L), row("p1", "go", "blitz", 6L, 1L),
                row("p2", "go", "slow", 1L, 1L));

        FileTotals totals = new TotalsAggregator(sumOf(List.of("player"), List.of("seconds"), null, null))
                .aggregate(file);

        assertThat(plain(totals)).isEqualTo(Map.of("p1", Map.of("", List.of(66L)), "p2", Map.of("", List.of(1L))));
    }

    @Test
    void aGridTooLargeForAnArrayIsSummedThroughAMapToTheSameResult() throws IOException {
        // 128 distinct values in each of three group-by columns of one row group: 2^21 cells, past the array path.
        List<Object[]> rows = new ArrayList<>();
        Map<String, Map<String, List<Long>>> expected = new TreeMap<>();
        for (int i = 0; i < 128; i++) {
            rows.add(row("p" + i, "g" + i, "m" + i, (long) i, 1L));
            rows.add(row("p" + i, "g" + i, "m" + i, 1L, 1L));
            expected.put("p" + i, Map.of("g" + i + ":m" + i, List.of(i + 1L, 2L)));
        }
        Path file = TotalsFiles.write(dir.resolve("wide.parquet"), SESSIONS, 1_000, rows);

        FileTotals totals = new TotalsAggregator(sumOf(List.of("player", "game", "mode"), List.of("seconds", "kills"),
                null, null)).aggregate(file);

        assertThat(plain(totals)).isEqualTo(expected);
        assertThat(totals.rowGroups()).isEqualTo(1);
    }

    @Test
    void aNullInAConfiguredColumnRejectsTheFileOrIsSkippedByRule() throws IOException {
        Path file = file(10, row("p1", "chess", "blitz", 60L, 1L), row("p1", "chess", "blitz", null, 1L),
                row("p2", null, "blitz", 5L, 1L));
        Aggregation rejecting = sumOf(List.of("player", "game"), List.of("seconds"), NullRows.REJECT, null);
        assertThatThrownBy(() -> new TotalsAggregator(rejecting).aggregate(file))
                .isInstanceOf(BadParquetFileException.class).hasMessage("row 2: seconds is null");

        FileTotals skipped = new TotalsAggregator(sumOf(List.of("player", "game"), List.of("seconds"), NullRows.SKIP,
                null)).aggregate(file);
        assertThat(plain(skipped)).isEqualTo(Map.of("p1", Map.of("chess", List.of(60L))));
        assertThat(skipped.skippedNullRows()).isEqualTo(2);
        assertThat(skipped.rows()).isEqualTo(3);
        // A column outside the configuration may be null: only what is summed or grouped by counts.
        FileTotals byPlayer = new TotalsAggregator(sumOf(List.of("player"), List.of("kills"), null, null))
                .aggregate(file);
        assertThat(plain(byPlayer)).isEqualTo(Map.of("p1", Map.of("", List.of(2L)), "p2", Map.of("", List.of(1L))));
    }

    @Test
    void aMissingOrMistypedConfiguredColumnIsAReasonNamingIt() throws IOException {
        Path file = file(10, row("p1", "chess", "blitz", 60L, 1L));
        assertThatThrownBy(() -> new TotalsAggregator(sumOf(List.of("player", "level"), List.of("seconds"), null,
                null)).aggregate(file)).isInstanceOf(BadParquetFileException.class)
                .hasMessage("column level is missing");
        assertThatThrownBy(() -> new TotalsAggregator(sumOf(List.of("player"), List.of("game"), null, null))
                .aggregate(file)).isInstanceOf(BadParquetFileException.class)
                .hasMessage("column game: expected INT64, found BINARY (string)");
    }

    @Test
    void negativeAndTooLargeValuesAndBadFieldValuesRejectTheFileNamingTheRule() throws IOException {
        Aggregation capped = new Aggregation(List.of("player", "game", "mode"), List.of("seconds", "kills"), null,
                100L, 1, "units");
        assertThatThrownBy(() -> new TotalsAggregator(capped).aggregate(file(10, row("p1", "chess", "blitz", 5L, -1L))))
                .hasMessage("row 1: kills is negative");
        assertThatThrownBy(() -> new TotalsAggregator(capped).aggregate(file(10, row("p1", "chess", "blitz", 1L, 1L),
                row("p1", "chess", "blitz", 101L, 1L)))).hasMessage("row 2: seconds exceeds 100 units");
        assertThatThrownBy(() -> new TotalsAggregator(capped).aggregate(file(10, row("p1", "ch:ess", "blitz", 1L, 1L))))
                .hasMessage("column game: a value must not contain \":\", which joins the group-by values into a"
                        + " field");
        assertThatThrownBy(() -> new TotalsAggregator(capped).aggregate(file(10, row("p1", "total", "blitz", 1L, 1L))))
                .hasMessage("column game: a value must not be empty or \"total\" (the field of the group's total)");
        assertThatThrownBy(() -> new TotalsAggregator(capped).aggregate(file(10, row("", "chess", "blitz", 1L, 1L))))
                .hasMessage("column player: empty values are not allowed");
        assertThatThrownBy(() -> new TotalsAggregator(capped).aggregate(file(10, row("p1", "chess", "blitz", 1L, 1L),
                row("p2", "chess", "blitz", 1L, 1L)))).hasMessage("file has more than 1 distinct player values");
    }

    @Test
    void aSumPastTheLongRangeRejectsTheFile() throws IOException {
        Path file = file(10, row("p1", "chess", "blitz", Long.MAX_VALUE, 1L), row("p1", "chess", "blitz", 1L, 1L));
        assertThatThrownBy(() -> new TotalsAggregator(sumOf(List.of("player"), List.of("seconds"), null, null))
                .aggregate(file)).isInstanceOf(BadParquetFileException.class)
                .hasMessage("column seconds: a sum leaves the 64-bit integer range");
    }

    @Test
    void settingsThatBreakARuleNameTheirKey() {
        assertThatThrownBy(() -> sumOf(List.of(), List.of("seconds"), null, null))
                .hasMessageStartingWith("groupBy: name 1 to 16 columns");
        assertThatThrownBy(() -> sumOf(List.of("player"), null, null, null))
                .hasMessageStartingWith("sum: name 1 to 16 columns");
        assertThatThrownBy(() -> sumOf(List.of("player", "player"), List.of("seconds"), null, null))
                .hasMessage("groupBy: column player is named twice");
        assertThatThrownBy(() -> sumOf(List.of("player"), List.of("player"), null, null))
                .hasMessage("sum: column player is also in groupBy");
        assertThatThrownBy(() -> sumOf(List.of("player"), List.of("seconds", "total"), null, null))
                .hasMessageStartingWith("sum: a column called total cannot be summed beside others");
        assertThatThrownBy(() -> sumOf(List.of("player"), List.of("seconds"), null, -1L))
                .hasMessage("maxValue must not be negative, was -1");
        assertThatThrownBy(() -> new Aggregation(List.of("player"), List.of("seconds"), null, null, 0, null))
                .hasMessage("maxGroups must be at least 1, was 0");
    }
}
