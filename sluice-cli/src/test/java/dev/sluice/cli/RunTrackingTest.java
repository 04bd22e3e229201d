package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.tracking.TrackingEventGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice run tracking} with the built-in config on the stack {@code sluice local} starts: generated events
 * are held in the open raw file (10,000 events or 60 s by default), and stopping stores it under
 * {@code tracking-raw/} in bucket {@code tracking}, then deletes their messages.
 */
class RunTrackingTest {

    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the pipeline runs
    void theDefaultConfigArchivesEventsAndStoresTheOpenFileOnStop(@TempDir Path dir) throws Exception {
        TrackingEventGenerator generator = new TrackingEventGenerator(3, 0, 0, Clock.systemUTC());
        List<String> events = IntStream.range(0, 30).mapToObj(i -> generator.next()).toList();
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack"))
                .queue(ConfigSource.TRACKING_QUEUE, 5).bucket(ConfigSource.TRACKING_BUCKET).start();
             SqsClient sqs = stack.sqs().newClient(); S3Client s3 = stack.s3().newClient()) {
            Map<String, String> env = new HashMap<>(stack.environment());
            ConfigSource.Loaded config = ConfigSource.read(null, env);
            try (var credentials = SdkCredentialProperties.set(env.get("AWS_ACCESS_KEY_ID"),
                    env.get("AWS_SECRET_ACCESS_KEY"))) {
                RunningPipelines running = RunningPipelines.start(config, List.of("tracking"), env,
                        new SimpleMeterRegistry());
                try {
                    String queueUrl = sqs.getQueueUrl(r -> r.queueName(ConfigSource.TRACKING_QUEUE)).queueUrl();
                    SqsBatchSender.send(sqs, queueUrl, events);
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> running.runners().getFirst().metrics().receivedCount() == 30);
                    assertThat(rawLines(s3)).as("held in the open file, not stored yet").isEmpty();
                    assertThat(running.runners().getFirst().inFlight()).as("none deleted yet").isEqualTo(30);
                } finally {
                    running.close();
                }
                assertThat(running.summary()).singleElement().asString()
                        .startsWith("tracking: received 30  written 30  rejected 0  in flight 0");
            }
            assertThat(rawLines(s3)).containsExactlyInAnyOrderElementsOf(events);
        }
    }

    private static List<String> rawLines(S3Client s3) {
        List<String> lines = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(ConfigSource.TRACKING_BUCKET)).contents()) {
            assertThat(object.key()).startsWith("tracking-raw/dt=");
            try (GZIPInputStream in = new GZIPInputStream(s3.getObject(r -> r.bucket(ConfigSource.TRACKING_BUCKET)
                    .key(object.key())))) {
                lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }
}
