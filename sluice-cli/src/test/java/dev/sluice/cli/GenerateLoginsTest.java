package dev.sluice.cli;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code sluice generate logins} against a real embedded SQS queue. */
class GenerateLoginsTest {

    @Test
    void sendsExactlyCountMessagesWithDuplicatesAndMalformedBodies(@TempDir Path dir) {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); SqsClient client = sqs.newClient()) {
            String queueUrl = sqs.createQueueWithDeadLetterQueue("generated-logins", 5).queueUrl();
            Path config = TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                    "jdbc:postgresql://127.0.0.1:9/unused", "generated-logins", dir.resolve("unused-keyset.json"));

            Cli.Result result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("generate", "logins",
                    "--count", "250", "--duplicate-rate", "0.1", "--malformed-rate", "0.1",
                    "--config", config.toString(), "--seed", "7"));

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(QueueContents.depth(client, queueUrl)).isEqualTo(250);

            List<String> bodies = QueueContents.receiveAll(client, queueUrl, 250);
            // valid = what the shipped logins definition's processors accept
            Catalog catalog = Catalog.load();
            Map<String, String> keys = Map.of(Keyset.ENV_KEYSET, Keyset.generate().toJson());
            PipelineDefinitions definitions = PipelineDefinitions.load(catalog, new ConfigLoader(keys),
                    Optional.empty());
            Stage<Message, Event> parser = new PipelineAssembler(catalog, new Resources(catalog, definitions.root(),
                    keys, new SimpleMeterRegistry(), Clock.systemUTC()))
                    .processors("logins", definitions.definition("logins"), new ArrayList<>());
            List<String> valid = new ArrayList<>();
            List<String> malformed = new ArrayList<>();
            for (String body : bodies) {
                Message message = new Message(body, new SourceCoordinates.Queue("generated-logins", "m", 1),
                        Instant.now(), "r");
                (parser.apply(message) instanceof Outcome.Emit<?> ? valid : malformed).add(body);
            }
            Map<String, Integer> validCounts = new HashMap<>();
            valid.forEach(body -> validCounts.merge(body, 1, Integer::sum));
            long repeatedValid = validCounts.values().stream().mapToInt(n -> n - 1).sum();

            // seed 7 with rates 0.1/0.1: roughly 25 of each; bounds wide enough for any seed, tight enough to
            // fail if a rate were ignored or applied twice
            assertThat(malformed).as("malformed bodies").hasSizeBetween(5, 60);
            assertThat(repeatedValid).as("exact repeats of valid logins").isBetween(5L, 60L);
            assertThat(valid.size()).isEqualTo(250 - malformed.size());
        }
    }
}
