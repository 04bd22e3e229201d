package dev.sluice.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventDurationRoundTripTest {

    private static final String[] TYPES = {"roadside", "battle", "menu"};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, dictionary {1}")
    @CsvSource({
        "UNCOMPRESSED, true", "UNCOMPRESSED, false",
        "SNAPPY, true", "SNAPPY, false",
        "GZIP, true", "GZIP, false",
        "ZSTD, true", "ZSTD, false"})
    void everyRowComesBackInOrderWithEachCodecAndEncoding(Compression compression, boolean dictionary)
            throws IOException {
        int rows = 25_000;
        String[] users = new String[rows];
        String[] types = new String[rows];
        long[] durations = new long[rows];
        var random = new SplittableRandom(42);
        Path file = dir.resolve("roundtrip.parquet");
        try (var writer = EventDurationFileWriter.create(file, compression, 7_000, dictionary)) {
            for (int i = 0; i < rows; i++) {
                users[i] = "user_" + (1 + random.nextInt(50));
                types[i] = TYPES[random.nextInt(TYPES.length)];
                durations[i] = random.nextLong(-5, Long.MAX_VALUE / 2);
                writer.write(users[i], types[i], durations[i]);
            }
        }

        assertThat(usesDictionary(file)).isEqualTo(dictionary);

        int row = 0;
        try (var reader = ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS)) {
            assertThat(reader.rowCount()).isEqualTo(rows);
            assertThat(reader.rowGroupCount()).isEqualTo(4);
            for (RowGroupBatch batch = reader.nextRowGroup(); batch != null; batch = reader.nextRowGroup()) {
                Map<String, Integer> idOfUser = new HashMap<>();
                for (int r = 0; r < batch.rows(); r++, row++) {
                    assertThat(batch.strings(0).value(r)).isEqualTo(users[row]);
                    assertThat(batch.strings(1).value(r)).isEqualTo(types[row]);
                    assertThat(batch.int64s(2).value(r)).isEqualTo(durations[row]);
                    assertThat(batch.int64s(2).isNull(r)).isFalse();
                    // one id per distinct string within the row group, whatever the encoding
                    assertThat(idOfUser.computeIfAbsent(users[row], u -> -2)).isIn(-2, batch.strings(0).id(
                            r));
                    idOfUser.put(users[row], batch.strings(0).id(r));
                }
                assertThat(new java.util.HashSet<>(idOfUser.values())).hasSize(idOfUser.size());
            }
        }
        assertThat(row).isEqualTo(rows);
    }

    /** Whether the writer really dictionary-encoded UserID, so both reader paths are exercised. */
    private static boolean usesDictionary(Path file) throws IOException {
        try (var footer = org.apache.parquet.hadoop.ParquetFileReader.open(
                new org.apache.parquet.io.LocalInputFile(file))) {
            return footer.getRowGroups().get(0).getColumns().get(0).hasDictionaryPage();
        }
    }

    @Test
    void manySmallRowGroupsSumToTheTotalsComputedWhileGenerating() throws IOException {
        int rows = 200_000;
        Map<String, Long> expected = new TreeMap<>();
        var random = new SplittableRandom(7);
        Path file = dir.resolve("many.parquet");
        try (var writer = EventDurationFileWriter.create(file, Compression.SNAPPY, 1_000, true)) {
            for (int i = 0; i < rows; i++) {
                String user = "user_" + (1 + random.nextInt(10));
                String type = TYPES[random.nextInt(TYPES.length)];
                long duration = 1 + random.nextInt(10);
                writer.write(user, type, duration);
                expected.merge(user + "|" + type, duration, Long::sum);
            }
        }

        EventDurationTotals totals = new EventDurationAggregator(EventDurationAggregator.Rules.DEFAULTS).aggregate(file);

        assertThat(totals.rowGroups()).isEqualTo(200);
        assertThat(totals.rows()).isEqualTo(rows);
        assertThat(totals.skippedNullRows()).isZero();
        assertThat(AggregateInChildJvm.flat(totals)).isEqualTo(expected);
    }

    @Test
    void nullsAreReportedPerColumnAndRow() throws IOException {
        Path file = dir.resolve("nulls.parquet");
        try (var writer = EventDurationFileWriter.create(file, Compression.ZSTD, 2, true)) {
            writer.write("user_1", "battle", 5L);
            writer.write(null, "menu", 3L);
            writer.write("user_2", null, null);
        }

        try (var reader = ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS)) {
            RowGroupBatch first = reader.nextRowGroup();
            assertThat(first.rows()).isEqualTo(2);
            assertThat(first.strings(0).nullCount()).isEqualTo(1);
            assertThat(first.strings(0).isNull(0)).isFalse();
            assertThat(first.strings(0).isNull(1)).isTrue();
            assertThat(first.strings(0).value(1)).isNull();
            assertThat(first.strings(0).id(1)).isEqualTo(StringColumn.NULL_ID);
            assertThat(first.int64s(2).nullCount()).isZero();
            assertThat(first.int64s(2).value(1)).isEqualTo(3L);

            RowGroupBatch second = reader.nextRowGroup();
            assertThat(second.index()).isEqualTo(1);
            assertThat(second.rows()).isEqualTo(1);
            assertThat(second.strings(0).value(0)).isEqualTo("user_2");
            assertThat(second.strings(1).isNull(0)).isTrue();
            assertThat(second.int64s(2).isNull(0)).isTrue();
            assertThat(second.int64s(2).nullCount()).isEqualTo(1);

            assertThat(reader.nextRowGroup()).isNull();
        }
    }

    @Test
    void aFileWithoutRowsHasNoRowGroups() throws IOException {
        Path file = dir.resolve("norows.parquet");
        EventDurationFileWriter.create(file, Compression.SNAPPY, 100, true).close();

        try (var reader = ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS)) {
            assertThat(reader.rowCount()).isZero();
            assertThat(reader.nextRowGroup()).isNull();
        }
    }

    @Test
    void onlyTheRequestedColumnsInTheRequestedOrder() throws IOException {
        Path file = dir.resolve("subset.parquet");
        try (var writer = EventDurationFileWriter.create(file, Compression.GZIP, 100, true)) {
            writer.write("user_9", "menu", 4L);
        }

        try (var reader = ParquetColumnReader.open(file,
                java.util.List.of(ColumnSpec.int64("EventDuration"), ColumnSpec.string("UserID")))) {
            RowGroupBatch batch = reader.nextRowGroup();
            assertThat(batch.int64s(0).value(0)).isEqualTo(4L);
            assertThat(batch.strings(1).value(0)).isEqualTo("user_9");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> batch.strings(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("column 0 (EventDuration) is INT64, not STRING");
        }
    }
}
