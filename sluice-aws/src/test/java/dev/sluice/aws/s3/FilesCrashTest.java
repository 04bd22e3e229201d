package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.aws.AwsResources;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.files.ObjectStore;
import dev.sluice.core.files.ObjectStores;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.LocalAwsAccount;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A worker JVM running an SQS → files → S3 pipeline halts right after its first put, before any acknowledgement (as
 * SIGKILL would stop it); the next worker receives every message again. The end state holds every event; the
 * stored file is kept as it was (never overwritten by other content), and the redelivered events are in files of
 * their own, named with receive count 2.
 */
class FilesCrashTest {

    /** What the halted worker exits with: the status a SIGKILLed JVM reports. */
    static final int HALT_STATUS = 137;
    private static final int MESSAGES = 40;
    private static final String BUCKET = "crash";

    @TempDir
    Path storage;
    @TempDir
    Path logs;

    @Test
    void aWorkerHaltedBetweenPutAndAcknowledgementLosesNothingAndOverwritesNothing() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); EmbeddedS3 s3 = EmbeddedS3.start(storage.resolve("s3"));
             SqsClient sqsClient = sqs.newClient(); S3Client s3Client = s3.newClient()) {
            s3.createBucket(BUCKET);
            String queueUrl = sqs.createQueueWithDeadLetterQueue("crash", 5).queueUrl();
            List<String> bodies = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "{\"n\":" + i + "}").toList();
            for (String body : bodies) {
                sqsClient.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
            }
            List<String> args = List.of(sqs.endpoint().toString(), s3.endpoint().toString(),
                    storage.resolve("work").toString());

            assertThat(runWorker(args, true)).isEqualTo(HALT_STATUS);
            List<String> first = keys(s3Client);
            assertThat(first).as("the halt came after a put").hasSize(1);
            List<String> firstLines = lines(s3Client, first.getFirst());
            assertThat(first.getFirst()).endsWith("-1.json.gz");
            assertThat(SqsSource.approximateDepth(sqsClient, queueUrl)).as("and before any acknowledgement")
                    .isEqualTo(MESSAGES);

            assertThat(runWorker(args, false)).isZero();
            List<String> all = new ArrayList<>();
            for (String key : keys(s3Client)) {
                all.addAll(lines(s3Client, key));
            }
            assertThat(new HashSet<>(all)).containsExactlyInAnyOrderElementsOf(bodies);
            assertThat(all).hasSize(MESSAGES + firstLines.size());
            assertThat(lines(s3Client, first.getFirst())).isEqualTo(firstLines);
            assertThat(SqsSource.approximateDepth(sqsClient, queueUrl)).isZero();
        }
    }

    private static List<String> keys(S3Client s3) {
        return FilesPipelines.keys(s3, BUCKET, "");
    }

    private static List<String> lines(S3Client s3, String key) throws IOException {
        return FilesPipelines.lines(s3, BUCKET, key);
    }

    /** Runs {@link Worker} to its end; a worker that does not end is killed, not left running. */
    private int runWorker(List<String> args, boolean halt) throws Exception {
        Path log = logs.resolve(halt ? "halted.log" : "worker.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Worker.class.getName()));
        command.addAll(args);
        command.add(String.valueOf(halt));
        Process worker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(worker.waitFor(120, TimeUnit.SECONDS)).as("the worker ended; log:%n%s", Files.readString(log))
                    .isTrue();
        } finally {
            worker.destroyForcibly();
        }
        return worker.exitValue();
    }

    /** The {@code halting_s3} store: the {@code s3} one, halting the JVM right after its first put returned. */
    public static final class HaltingStore implements PluginProvider {
        @Override
        public List<Plugin<?, ?>> plugins() {
            return List.of();
        }

        @Override
        public List<Service<?>> services() {
            return List.of(new Service<>(ObjectStores.class, "halting_s3", new SharedResource<>("halting s3",
                    context -> {
                        S3ObjectStores s3 = new S3ObjectStores(context.shared(AwsResources.S3));
                        return bucket -> {
                            ObjectStore store = s3.forBucket(bucket);
                            return new ObjectStore() {
                                @Override
                                public void put(Path file, String key, String contentType,
                                                Map<String, String> metadata) throws Exception {
                                    store.put(file, key, contentType, metadata);
                                    Runtime.getRuntime().halt(HALT_STATUS);
                                }

                                @Override
                                public void delete(String key) throws Exception {
                                    store.delete(key);
                                }
                            };
                        };
                    })));
        }
    }

    /** The worker: the pipeline from YAML, run until the queue is empty (or halted after the first put). */
    static final class Worker {
        public static void main(String[] args) throws Exception {
            String yaml = FilesPipelines.aws(args[0], args[1]) + """
                    pipelines:
                      crash:
                        source: {type: sqs, queue: crash, waitTime: 1s, visibilityTimeout: 2s}
                        processors:
                          - {type: parse_json}
                        sink:
                          type: files
                          store: %s
                          bucket: %s
                          format: raw_ndjson_gzip
                          roll: {maxEvents: 7, maxAge: 1s}
                          workDirectory: "%s"
                        errors: {type: collect}
                        runner: {receivers: 1, batchSize: 10, linger: 10ms}
                    """.formatted(Boolean.parseBoolean(args[3]) ? "halting_s3" : "s3", BUCKET, args[2]);
            try (AutoCloseable crash = FilesPipelines.start(yaml, "crash", new HaltingStore());
                 SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(args[0]))
                         .region(LocalAwsAccount.REGION).credentialsProvider(LocalAwsAccount.credentials()).build()) {
                String queueUrl = sqs.getQueueUrl(r -> r.queueName("crash")).queueUrl();
                while (SqsSource.approximateDepth(sqs, queueUrl) > 0) {
                    Thread.sleep(100);
                }
            }
            System.exit(0);
        }

        private Worker() {
        }
    }
}
