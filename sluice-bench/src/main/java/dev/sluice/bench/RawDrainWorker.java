package dev.sluice.bench;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSourceSettings;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;

/**
 * One {@link RawDrain} in its own JVM, so the limit is not measured inside the JVM that hosts ElasticMQ (where the
 * drain and the queue server fought over one heap and one JIT, and the drain came out lower than the pipeline's).
 *
 * <p>Usage: {@code RawDrainWorker <sqs-endpoint> <queue-url> <consumers> <messages> <max-per-poll>
 * <visibility-seconds> <warm-up>}. With {@code warm-up} above 0 it first drains that many small messages from a queue
 * of its own, untimed, so its SDK client is warm like a flow that runs in an already busy JVM. Prints
 * {@code drained nanos=<wall time>} and exits.
 */
public final class RawDrainWorker {
    private RawDrainWorker() {
    }

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        String queueUrl = args[1];
        int consumers = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        SqsSourceSettings polling = new SqsSourceSettings(queueUrl, null, Integer.parseInt(args[4]),
                Duration.ofSeconds(Long.parseLong(args[5])));
        if (consumers > AwsClientSettings.DEFAULT_MAX_CONNECTIONS) {
            // Each consumer's long poll holds a connection: more consumers than the pool would wait on it.
            throw new IllegalArgumentException("at most " + AwsClientSettings.DEFAULT_MAX_CONNECTIONS
                    + " consumers, was " + consumers);
        }
        int warmUp = Integer.parseInt(args[6]);
        try (SqsClient sqs = SqsClients.create(AwsClientSettings.local(endpoint, "us-east-1"))) {
            if (warmUp > 0) {
                warmUp(sqs, polling, consumers, warmUp);
            }
            Duration took = RawDrain.run(sqs, queueUrl, polling, consumers, messages);
            System.out.println("drained nanos=" + took.toNanos());
            System.out.flush();
        }
    }

    /** Fills and drains a queue of this process's own with {@code count} small bodies, then deletes it. */
    private static void warmUp(SqsClient sqs, SqsSourceSettings polling, int consumers, int count) {
        String queueUrl = sqs.createQueue(b -> b.queueName("raw-drain-warm-up-" + ProcessHandle.current().pid()))
                .queueUrl();
        try {
            SqsBatchSender.send(sqs, queueUrl, Collections.nCopies(count, "{\"warm_up\": true}"));
            RawDrain.run(sqs, queueUrl, new SqsSourceSettings(queueUrl, null, polling.maxMessagesPerPoll(),
                    polling.visibilityTimeout()), consumers, count);
        } finally {
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        }
    }
}
