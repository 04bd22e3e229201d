package dev.sluice.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipelines.HaltingWorker;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A crash after a raw file is stored and before its messages are deleted: a worker JVM archives events and dies at
 * its first delete; the messages come back and a new archiver stores them again. Every event is in the raw files,
 * the events of the files stored before the crash twice (redelivery), and the queue ends empty; the warehouse load
 * then has every event exactly once, skipping the redelivered ones by id.
 */
class TrackingArchiveCrashTest {
    private static final int EVENTS = 120;
    private static final int MAX_EVENTS = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aCrashBetweenTheFilePutAndTheDeleteLosesNoEvent() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                     TrackingArchiveHarness.archive(MAX_EVENTS, 64L << 20, Duration.ofSeconds(2)))) {
            List<String> events = TrackingArchiveHarness.events(EVENTS);
            h.send(events);

            // The worker runs the same YAML with a work directory of its own.
            Path config = Files.writeString(dir.resolve("sluice.yaml"), h.config);
            Path worker = Files.writeString(dir.resolve("worker.yaml"), "pipelines: {tracking: {sink: {workDirectory: \""
                    + Files.createDirectories(dir.resolve("worker-work")) + "\"}}}");
            HaltingWorker.start(dir, TrackingArchiveWorker.class, TrackingArchiveHarness.shippedDefinitionFile(dir)
                    .toString(), config.toString(), worker.toString()).awaitHalt("its first delete");
            List<String> storedBeforeTheCrash = h.rawLines();
            assertThat(storedBeforeTheCrash).as("a file was stored before the crash").isNotEmpty();
            assertThat(events).containsAll(storedBeforeTheCrash);
            assertThat(h.queueDepth()).as("no message was deleted").isEqualTo(EVENTS);

            h.start();
            h.awaitSettled();

            Map<String, Integer> expected = new HashMap<>();
            events.forEach(e -> expected.merge(e, 1, Integer::sum));
            storedBeforeTheCrash.forEach(e -> expected.merge(e, 1, Integer::sum));
            Map<String, Integer> archived = new HashMap<>();
            h.rawLines().forEach(e -> archived.merge(e, 1, Integer::sum));
            assertThat(archived).as("every event, those of the files stored before the crash twice")
                    .isEqualTo(expected);
            assertThat(h.queueDepth()).isZero();
            assertThat(h.rejects()).isEmpty();

            String loaded = h.job("tracking-load").run().summary();

            Map<String, Integer> sentIds = new HashMap<>();
            events.forEach(e -> sentIds.put(JSON.readTree(e).get("id").asString(), 1));
            assertThat(h.warehouseIds()).as("every event exactly once in the warehouse").isEqualTo(sentIds);
            assertThat(loaded).as("every event loaded once, the redelivered ones skipped by id, no error")
                    .matches("\\d+ files loaded \\(" + EVENTS + " rows, " + storedBeforeTheCrash.size()
                            + " duplicates skipped, 0 errors\\), 0 already loaded(;.*)?");
        }
    }
}
