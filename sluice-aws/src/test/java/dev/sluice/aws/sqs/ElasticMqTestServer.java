package dev.sluice.aws.sqs;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real in-process ElasticMQ on a free port, with a client for arranging tests (creating queues, sending
 * messages). Start it once per test class; {@link #close()} stops it.
 */
final class ElasticMqTestServer implements AutoCloseable {
    static final String REGION = "elasticmq";

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private ElasticMqTestServer(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.client = SqsClients.create(awsSettings());
    }

    static ElasticMqTestServer start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSRegion(REGION).start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMqTestServer(server, port);
    }

    URI endpoint() {
        return endpoint;
    }

    AwsClientSettings awsSettings() {
        return AwsClientSettings.local(endpoint, REGION);
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

    /** Sends the bodies in batches of ten; returns the message ids in the order of the bodies. */
    List<String> send(String queueUrl, List<String> bodies) {
        List<String> ids = new ArrayList<>(bodies.size());
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i)).build());
            }
            var response = client.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("sending test messages failed: " + response.failed());
            }
            response.successful().stream()
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a.id().substring(1)),
                            Integer.parseInt(b.id().substring(1))))
                    .forEach(ok -> ids.add(ok.messageId()));
        }
        return ids;
    }

    /** Messages waiting plus in flight, straight from the server. */
    long depth(String queueUrl) {
        var attributes = client.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
