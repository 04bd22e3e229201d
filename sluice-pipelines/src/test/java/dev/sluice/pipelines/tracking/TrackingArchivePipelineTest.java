package dev.sluice.pipelines.tracking;

import static dev.sluice.pipelines.tracking.TrackingArchiveHarness.archive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Events through the raw archiver on real SQS, S3 and Postgres: every event once in gzip NDJSON files under the
 * day's key, byte-equal to what was sent; files roll by count, by bytes and by age.
 */
@OnEachPostgres
class TrackingArchivePipelineTest {
    private static final String KEY = "tracking-raw/dt=(\\d{4}-\\d{2}-\\d{2})/\\d{6}-[0-9a-f-]{36}\\.json\\.gz";

    @Parameter
    TestDatabase database;

    @Test
    void filesRollByCountAndHoldEveryEventOnceAsSent() {
        LocalDate before = LocalDate.now(ZoneOffset.UTC);
        try (TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                archive(100, 64L << 20, Duration.ofMinutes(10)))) {
            List<String> events = TrackingArchiveHarness.events(300);
            h.start();
            h.send(events);

            h.awaitSettled();

            Map<String, List<String>> files = h.rawFiles();
            assertThat(files).hasSize(3);
            assertThat(files.values()).allSatisfy(lines -> assertThat(lines).hasSize(100));
            assertThat(h.rawLines()).containsExactlyInAnyOrderElementsOf(events);
            LocalDate after = LocalDate.now(ZoneOffset.UTC);
            assertThat(files.keySet()).allSatisfy(key -> {
                assertThat(key).matches(KEY);
                assertThat(LocalDate.parse(key.substring(16, 26))).isBetween(before, after);
            });
            assertThat(h.filesStored("count")).isEqualTo(3);
            assertThat(h.rejects()).isEmpty();
        }
    }

    @Test
    void filesRollByUncompressedBytes() {
        long maxBytes = 4096;
        try (TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                archive(900, maxBytes, Duration.ofMinutes(10)))) {
            List<String> events = TrackingArchiveHarness.events(100);
            h.start();
            h.send(events);

            await().atMost(Duration.ofSeconds(60)).until(() -> h.runner().metrics().receivedCount() == 100
                    && h.runner().metrics().writtenCount() > 0);
            h.runner().stop();

            Map<String, List<String>> files = h.rawFiles();
            assertThat(h.rawLines()).containsExactlyInAnyOrderElementsOf(events);
            assertThat(h.queueDepth()).isZero();
            for (List<String> lines : files.values()) {
                assertThat(bytes(lines.subList(0, lines.size() - 1))).as("no file rolls before maxBytes")
                        .isLessThan(maxBytes);
            }
            long full = files.values().stream().filter(lines -> bytes(lines) >= maxBytes).count();
            assertThat(full).as("files that reached maxBytes").isGreaterThanOrEqualTo(2)
                    .isEqualTo((long) h.filesStored("bytes"));
            assertThat(files.size() - full).as("the rest, stored on stop").isEqualTo((long) h.filesStored("stop"))
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void filesRollByAgeWithoutFurtherInput() {
        try (TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                archive(900, 64L << 20, Duration.ofSeconds(1)))) {
            List<String> events = TrackingArchiveHarness.events(20);
            h.start();
            h.send(events);

            h.awaitSettled();

            assertThat(h.rawLines()).containsExactlyInAnyOrderElementsOf(events);
            assertThat(h.filesStored("age")).isEqualTo(h.rawFiles().size());
            assertThat(h.filesStored("count") + h.filesStored("bytes") + h.filesStored("stop")).isZero();
        }
    }

    @Test
    void aPrettyPrintedEventIsStoredAsOneCompactLine() {
        try (TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                archive(900, 64L << 20, Duration.ofSeconds(1)))) {
            String event = TrackingArchiveHarness.events(1).getFirst();
            String pretty = event.replace(",\"", ",\n  \"");
            h.start();
            h.send(List.of(pretty));

            h.awaitSettled();

            assertThat(h.rawLines()).hasSize(1);
            String line = h.rawLines().getFirst();
            assertThat(line).doesNotContain("\n").isEqualTo(event.replace(", ", ","));
        }
    }

    private static long bytes(List<String> lines) {
        long total = 0;
        for (String line : new ArrayList<>(lines)) {
            total += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return total;
    }
}
