package dev.sluice.postgres.warehouse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawLinesTest {

    private static List<String> read(String text, int maxLineBytes) throws IOException {
        RawLines lines = new RawLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLineBytes);
        List<String> read = new ArrayList<>();
        for (RawLines.Line line = lines.next(); line != null; line = lines.next()) {
            read.add(new String(line.bytes(), StandardCharsets.UTF_8) + (line.tooLong() ? "…" : ""));
        }
        return read;
    }

    @Test
    void linesEndAtNewlinesWithOrWithoutCarriageReturnAndTheLastMayLackOne() throws IOException {
        assertThat(read("one\ntwo\r\n\nlast", 100)).containsExactly("one", "two", "", "last");
        assertThat(read("one\n", 100)).containsExactly("one");
        assertThat(read("", 100)).isEmpty();
    }

    @Test
    void aLineLongerThanTheLimitKeepsItsStartAndTheNextLineIsIntact() throws IOException {
        assertThat(read("short\n" + "x".repeat(200_000) + "\nafter\n", 10))
                .containsExactly("short", "xxxxxxxxxx…", "after");
    }

    @Test
    void whenTheStreamFailsTheLineInProgressIsAvailable() throws IOException {
        InputStream failing = new SequenceInputStream(
                new ByteArrayInputStream("whole\npart".getBytes(StandardCharsets.UTF_8)), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new EOFException("Unexpected end of ZLIB input stream");
                    }
                });
        RawLines lines = new RawLines(failing, 100);

        assertThat(new String(lines.next().bytes(), StandardCharsets.UTF_8)).isEqualTo("whole");
        assertThatThrownBy(lines::next).isInstanceOf(EOFException.class);
        assertThat(new String(lines.partial(), StandardCharsets.UTF_8)).isEqualTo("part");
    }
}
