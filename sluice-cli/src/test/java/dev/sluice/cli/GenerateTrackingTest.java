package dev.sluice.cli;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code sluice generate tracking} against a real embedded SQS queue. */
class GenerateTrackingTest {
    private static final EmbeddedSqs sqs = EmbeddedSqs.start();
    private final SqsClient client = sqs.newClient();

    @TempDir
    Path dir;

    private Path config(String queue) {
        return TestConfigs.withTracking(TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                "jdbc:postgresql://127.0.0.1:9/unused", "unused", dir.resolve("unused-keyset.json")), queue, "unused");
    }

    @Test
    void sendsExactlyCountEventsWithDuplicatesAndBrokenJson() throws Exception {
        String queueUrl = sqs.createQueueWithDeadLetterQueue("generated-tracking", 5).queueUrl();
        Path config = config("generated-tracking");

        Cli.Result result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("generate", "tracking",
                "--count", "200", "--rate", "1000/s", "--duplicate-rate", "0.1", "--malformed-rate", "0.1",
                "--config", config.toString(), "--seed", "7"));

        assertThat(result.exitCode()).as("%s", result).isZero();
        List<String> bodies = QueueContents.receiveAll(client, queueUrl, 200);
        // The shipped definition's processors: what the archiver checks each body with.
        ConfigSource.Loaded loaded = ConfigSource.read(config, Map.of());
        List<AutoCloseable> closeAtEnd = new ArrayList<>();
        Stage<Message, Event> check;
        try (Resources resources = new Resources(loaded.catalog(), loaded.definitions().root(), Map.of(),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            check = new PipelineAssembler(loaded.catalog(), resources).processors("tracking",
                    loaded.definitions().definition("tracking"), closeAtEnd);
        }
        assertThat(closeAtEnd).as("the checks open nothing").isEmpty();
        List<String> valid = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (String body : bodies) {
            Outcome<?> outcome = check.apply(new Message(body,
                    new SourceCoordinates.Queue("generated-tracking", "m", 1), Instant.now(), "r"));
            if (outcome instanceof Outcome.Reject<?> reject) {
                assertThat(reject.reason()).startsWith("body: not valid JSON");
                malformed.add(body);
            } else {
                valid.add(body);
            }
        }
        Map<String, Integer> validCounts = new HashMap<>();
        valid.forEach(body -> validCounts.merge(body, 1, Integer::sum));
        long repeated = validCounts.values().stream().mapToInt(n -> n - 1).sum();
        // rates 0.1/0.1 on 200: about 20 each; bounds wide enough for any seed, tight enough to catch an ignored rate
        assertThat(malformed).as("broken JSON").hasSizeBetween(4, 50);
        assertThat(repeated).as("events sent again").isBetween(4L, 50L);
    }

    @Test
    void aDurationStopsSendingWithinItsPace() {
        String queueUrl = sqs.createQueueWithDeadLetterQueue("timed-tracking", 5).queueUrl();
        Path config = config("timed-tracking");

        Cli.Result result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("generate", "tracking",
                "--duration", "1s", "--rate", "50/s", "--config", config.toString()));

        assertThat(result.exitCode()).as("%s", result).isZero();
        // paced at 50/s, a batch of 10 starts only when its first event is due, and none is due after 1 s
        assertThat(QueueContents.depth(client, queueUrl)).isPositive().isLessThanOrEqualTo(50 + 10);
    }

    @Test
    void countAndDurationTogetherAreRefused() {
        Cli.Result result = Cli.run("generate", "tracking", "--count", "5", "--duration", "1s");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--count", "--duration", "mutually exclusive");
    }
}
