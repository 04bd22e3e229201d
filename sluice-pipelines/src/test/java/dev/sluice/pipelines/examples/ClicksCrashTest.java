package dev.sluice.pipelines.examples;

import dev.sluice.pipelines.DefinitionWorker;
import dev.sluice.pipelines.HaltingObjectStores;
import dev.sluice.pipelines.HaltingWorker;
import dev.sluice.pipelines.SigkillRestarts;
import dev.sluice.pipelines.examples.ClicksHarness.Click;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once under SIGKILL for a pipeline a user wrote, on a stream: a worker JVM running clicks from
 * docs/examples/clicks.yaml (what {@code sluice run --config docs/examples/clicks.yaml clicks} runs) is killed with
 * SIGKILL three times while it stores files, and restarted; each restart reads the stream again from the
 * checkpoints. At the end every click is in the Parquet files exactly once, in its partition, copies included in
 * the input dropped, and every shard is checkpointed to its end. And the narrowest window: a worker halted right
 * after a file's put returned, before its clicks are recorded as seen; the next worker reads them again and writes
 * that file again under the same name, so nothing is lost or doubled.
 */
class ClicksCrashTest {
    private static final int CLICKS = 6_000;
    private static final int HALTED_CLICKS = 2_000;

    @RegisterExtension
    static final KinesisEmulator KINESIS = new KinesisEmulator();

    @TempDir
    Path logs;

    @Test
    void aWorkerKilledThreeTimesMidRunEndsWithEveryClickExactlyOnce() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             ClicksHarness h = new ClicksHarness(database, KINESIS.get())) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < CLICKS; i++) {
                bodies.add(ClicksExampleTest.click(i));
                if (i % 10 == 0) {
                    bodies.add(ClicksExampleTest.click(i));    // a producer's retry
                }
            }
            h.put(bodies);
            Path overrides = Files.writeString(logs.resolve("overrides.yaml"), h.overrides);

            // Progress is what the dedupe recorded as stored: the click ids of stored files.
            SigkillRestarts.run(() -> DefinitionWorker.start(logs, h.environment, "clicks", ClicksHarness.EXAMPLE,
                    overrides), h::storedIds, h::shardsBehind, CLICKS, 1_000, 2_500, 4_000);

            List<Click> clicks = h.clicks();
            assertThat(clicks).extracting(Click::clickId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, CLICKS).mapToObj(i -> "click-" + i)
                            .collect(Collectors.toSet()));
            assertThat(clicks).allSatisfy(click -> assertThat(click.folders())
                    .isEqualTo("day=" + click.day() + "/country=" + click.country()));
            assertThat(h.errorRows()).isZero();
            assertThat(h.shardsBehind()).isZero();
        }
    }

    @Test
    void aWorkerHaltedRightAfterAPutBeforeTheFileIsRecordedLosesAndDoublesNothing() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             ClicksHarness h = new ClicksHarness(database, KINESIS.get())) {
            h.put(IntStream.range(0, HALTED_CLICKS).mapToObj(ClicksExampleTest::click).toList());
            Path overrides = Files.writeString(logs.resolve("overrides.yaml"), h.overrides);
            Path halting = Files.writeString(logs.resolve("halting.yaml"),
                    "pipelines: {clicks: {sink: {store: halting_s3}}}\n");
            Map<String, String> environment = new HashMap<>(h.environment);
            environment.put(HaltingObjectStores.PUTS_VARIABLE, "3");

            Process halted = DefinitionWorker.start(logs, environment, "clicks", ClicksHarness.EXAMPLE, overrides,
                    halting);
            try {
                assertThat(halted.waitFor(120, TimeUnit.SECONDS)).as("the worker halted; log:%n%s", workerLog())
                        .isTrue();
            } finally {
                halted.destroyForcibly();
            }
            assertThat(halted.exitValue()).as("log:%n%s", workerLog()).isEqualTo(HaltingWorker.HALT_STATUS);
            List<String> stored = h.keys();
            assertThat(stored).as("three files stored").hasSize(3);
            assertThat((long) h.clicks().size()).as("the last one's clicks not recorded").isGreaterThan(h.storedIds());
            assertThat(h.ledger()).as("the last one's ledger row left").hasSize(1).isSubsetOf(stored);

            SigkillRestarts.run(() -> DefinitionWorker.start(logs, h.environment, "clicks", ClicksHarness.EXAMPLE,
                    overrides), h::storedIds, h::shardsBehind, HALTED_CLICKS);

            List<Click> clicks = h.clicks();
            assertThat(clicks).extracting(Click::clickId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, HALTED_CLICKS)
                            .mapToObj(i -> "click-" + i).toList());
            assertThat(h.keys()).as("the unrecorded file was written again under its name").containsAll(stored);
            assertThat(h.ledger()).as("every ledger row settled").isEmpty();
        }
    }

    private String workerLog() throws IOException {
        return Files.readString(logs.resolve("worker.log"));
    }
}
