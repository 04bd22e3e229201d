package dev.sluice.parquet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void notParquet() throws IOException {
        Path file = Files.writeString(dir.resolve("f.parquet"), "UserID,EventType,EventDuration\nu,menu,3\n");

        assertBad(file, "not a Parquet file (magic bytes missing)");
    }

    @Test
    void emptyFile() throws IOException {
        assertBad(Files.createFile(dir.resolve("empty.parquet")), "empty file (0 bytes)");
    }

    @Test
    void truncatedFile() throws IOException {
        Path whole = playtimeFile("whole.parquet");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.parquet"), Arrays.copyOf(bytes, bytes.length / 2));

        assertBad(cut, "truncated Parquet file (" + bytes.length / 2 + " bytes, no magic bytes at the end)");
    }

    @Test
    void corruptFooter() throws IOException {
        Path whole = playtimeFile("whole.parquet");
        byte[] bytes = Files.readAllBytes(whole);
        // keep both magics, break the footer length (4 bytes before the trailing magic)
        Arrays.fill(bytes, bytes.length - 8, bytes.length - 4, (byte) 0x7f);
        Path broken = Files.write(dir.resolve("broken.parquet"), bytes);

        assertThatThrownBy(() -> ParquetColumnReader.open(broken, EventDurationFileWriter.COLUMNS))
                .isInstanceOf(BadParquetFileException.class)
                .hasMessageStartingWith("unreadable Parquet footer: ");
    }

    @Test
    void missingColumn() throws Exception {
        Path file = DuckDbWrittenFileTest.duckDbFile(dir, "missing.parquet",
                "SELECT 'user_1' AS UserID, 5::BIGINT AS EventDuration");

        assertBad(file, "column EventType is missing");
    }

    @Test
    void durationAsString() throws Exception {
        Path file = DuckDbWrittenFileTest.duckDbFile(dir, "stringduration.parquet",
                "SELECT 'user_1' AS UserID, 'menu' AS EventType, '5' AS EventDuration");

        assertBad(file, "column EventDuration: expected INT64, found BINARY (string)");
    }

    @Test
    void numericUserId() throws Exception {
        Path file = DuckDbWrittenFileTest.duckDbFile(dir, "numericuser.parquet",
                "SELECT 42::BIGINT AS UserID, 'menu' AS EventType, 5::BIGINT AS EventDuration");

        assertBad(file, "column UserID: expected BINARY (string), found INT64");
    }

    @Test
    void durationAsTimestampIsNotAnInt64() throws Exception {
        Path file = DuckDbWrittenFileTest.duckDbFile(dir, "timestamp.parquet",
                "SELECT 'user_1' AS UserID, 'menu' AS EventType, TIMESTAMP '2026-01-01' AS EventDuration");

        assertThatThrownBy(() -> ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS))
                .isInstanceOf(BadParquetFileException.class)
                .hasMessageStartingWith("column EventDuration: expected INT64, found INT64 (timestamp");
    }

    @Test
    void nestedColumn() throws Exception {
        Path file = DuckDbWrittenFileTest.duckDbFile(dir, "nested.parquet",
                "SELECT ['user_1'] AS UserID, 'menu' AS EventType, 5::BIGINT AS EventDuration");

        assertBad(file, "column UserID: expected BINARY (string), found a nested group");
    }

    @Test
    void aMissingFileIsAnIoErrorNotABadFile() {
        assertThatThrownBy(() -> ParquetColumnReader.open(dir.resolve("absent.parquet"),
                EventDurationFileWriter.COLUMNS))
                .isInstanceOf(NoSuchFileException.class);
    }

    private Path playtimeFile(String name) throws IOException {
        Path file = dir.resolve(name);
        try (var writer = EventDurationFileWriter.create(file, Compression.SNAPPY, 500, true)) {
            for (int i = 0; i < 2_000; i++) {
                writer.write("user_" + i % 10, "menu", (long) i);
            }
        }
        return file;
    }

    private static void assertBad(Path file, String message) {
        assertThatThrownBy(() -> ParquetColumnReader.open(file, EventDurationFileWriter.COLUMNS))
                .isInstanceOf(BadParquetFileException.class)
                .hasMessage(message);
    }
}
