package dev.sluice.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3: a 10,000,000-row file is read with the JVM at -Xmx256m. The read runs in a child JVM so the limit
 * applies to it alone; the file is generated here with 1,000,000-row groups (pyarrow's default size).
 */
class LargeFileMemoryTest {

    private static final int ROWS = 10_000_000;
    private static final String[] TYPES = {"roadside", "battle", "menu"};

    @TempDir
    Path dir;

    @Test
    void tenMillionRowsAreSummedInA256MegabyteHeap() throws IOException, InterruptedException {
        Path file = dir.resolve("ten-million.parquet");
        long expectedTotal = 0;
        long generateStart = System.nanoTime();
        var random = new SplittableRandom(3);
        String[] users = new String[1_000];
        for (int u = 0; u < users.length; u++) {
            users[u] = "user_" + (u + 1);
        }
        try (var writer = EventDurationFileWriter.create(file, Compression.ZSTD, 1_000_000, true)) {
            for (int i = 0; i < ROWS; i++) {
                long duration = 1 + random.nextInt(10);
                writer.write(users[random.nextInt(users.length)], TYPES[random.nextInt(TYPES.length)], duration);
                expectedTotal += duration;
            }
        }
        long generateMillis = (System.nanoTime() - generateStart) / 1_000_000;

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AggregateInChildJvm.class.getName(),
                file.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = child.waitFor();

        assertThat(exit).as(output).isZero();
        String[] last = output.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
        assertThat(Long.parseLong(last[0])).as(output).isEqualTo(ROWS);
        assertThat(Long.parseLong(last[1])).as(output).isEqualTo(expectedTotal);
        long readNanos = Long.parseLong(last[2]);
        System.out.printf("10M rows: %,d bytes, generated in %,d ms; child read %,d ms (%,d rows/s), peak heap %,d MB%n",
                Files.size(file), generateMillis, readNanos / 1_000_000, (long) (ROWS / (readNanos / 1e9)),
                Long.parseLong(last[3]) >> 20);
    }
}
