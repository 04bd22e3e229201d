package dev.sluice.pipelines.examples;

import dev.sluice.pipelines.DefinitionWorker;
import dev.sluice.pipelines.SigkillRestarts;
import dev.sluice.pipelines.examples.ClicksHarness.Click;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once under SIGKILL for a pipeline a user wrote, on a stream: a worker JVM running clicks from
 * docs/examples/clicks.yaml (what {@code sluice run --config docs/examples/clicks.yaml clicks} runs) is killed with
 * SIGKILL three times while it stores files, and restarted; each restart reads the stream again from the
 * checkpoints. At the end every click is in the Parquet files exactly once, in its partition, copies included in
 * the input dropped, and every shard is checkpointed to its end.
 */
class ClicksCrashTest {
    private static final int CLICKS = 6_000;

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
}
