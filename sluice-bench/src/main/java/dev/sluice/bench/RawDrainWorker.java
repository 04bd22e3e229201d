package dev.sluice.bench;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSourceSettings;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * One {@link RawDrain} in its own JVM, so the limit is not measured inside the JVM that hosts ElasticMQ (where the
 * drain and the queue server fought over one heap and one JIT, and the drain came out lower than the pipeline's).
 *
 * <p>Usage: {@code RawDrainWorker <sqs-endpoint> <queue-url> <consumers> <messages> <max-per-poll>
 * <visibility-seconds>}. Prints {@code drained nanos=<wall time>} and exits.
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
        try (SqsClient sqs = SqsClients.create(AwsClientSettings.local(endpoint, "us-east-1"))) {
            Duration took = RawDrain.run(sqs, queueUrl, polling, consumers, messages);
            System.out.println("drained nanos=" + took.toNanos());
            System.out.flush();
        }
    }
}
