package dev.sluice.aws.sqs;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.QueueUrls;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The embedded SQS of {@code sluice-local} on a free port, with a client for arranging tests (creating queues,
 * sending messages). Start it once per test class; {@link #close()} stops it.
 */
final class ElasticMqTestServer implements AutoCloseable {
    private final EmbeddedSqs server;
    private final SqsClient client;

    private ElasticMqTestServer(EmbeddedSqs server) {
        this.server = server;
        this.client = SqsClients.create(awsSettings());
    }

    static ElasticMqTestServer start() {
        return new ElasticMqTestServer(EmbeddedSqs.start());
    }

    URI endpoint() {
        return server.endpoint();
    }

    AwsClientSettings awsSettings() {
        return AwsClientSettings.local(server.endpoint(), "us-east-1");
    }

    /** A client for arranging and checking tests; closed with the server. */
    SqsClient client() {
        return client;
    }

    /** Creates a queue with a unique name starting with {@code prefix}; returns its URL. */
    String createQueue(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return client.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    }

    /** Creates a queue with a unique name and a dead-letter queue that takes its messages after maxReceiveCount. */
    QueueUrls createQueueWithDeadLetterQueue(String prefix, int maxReceiveCount) {
        return server.createQueueWithDeadLetterQueue(prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
                maxReceiveCount);
    }

    /** Sends the bodies in batches of ten; returns the message ids in the order of the bodies. */
    List<String> send(String queueUrl, List<String> bodies) {
        return SqsBatchSender.send(client, queueUrl, bodies);
    }

    /** Messages waiting plus in flight, straight from the server. */
    long depth(String queueUrl) {
        return SqsSource.approximateDepth(client, queueUrl);
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
