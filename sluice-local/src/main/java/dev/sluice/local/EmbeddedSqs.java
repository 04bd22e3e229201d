package dev.sluice.local;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS API (ElasticMQ) running inside this JVM, so pipelines and tests talk to SQS through the AWS SDK
 * exactly as in production: visibility timeouts, long polling and dead-letter redrive all behave like SQS.
 * Queues live in memory and are gone when the server stops.
 */
public final class EmbeddedSqs implements EmbeddedService {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSqs.class);
    private static final String HOST = "127.0.0.1";
    private static final String DEAD_LETTER_SUFFIX = "-dlq";

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient admin;
    private final Map<String, QueueUrls> queues = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedSqs(SQSRestServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://" + HOST + ":" + port);
        this.admin = newClient();
    }

    /** Starts on a free port. */
    public static EmbeddedSqs start() {
        return start(0);
    }

    /** Starts on the given port, or on a free one when {@code port} is 0. */
    public static EmbeddedSqs start(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("SQS port must be 0 (any free port) or 1-65535, got " + port);
        }
        long started = System.nanoTime();
        // Whoever owns the server stops it: Pekko's JVM hook would end SQS while pipelines still acknowledge.
        System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withInterface(HOST)
                .withAWSRegion(LocalAwsAccount.REGION.id());
        SQSRestServer server = (port == 0 ? builder.withDynamicPort() : builder.withPort(port)).start();
        int boundPort = server.waitUntilStarted().localAddress().getPort();
        EmbeddedSqs sqs = new EmbeddedSqs(server, boundPort);
        log.info("SQS (ElasticMQ) listening on {} after {} ms", sqs.endpoint, (System.nanoTime() - started) / 1_000_000);
        return sqs;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A new SDK client for this server; the caller closes it. */
    public SqsClient newClient() {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(LocalAwsAccount.REGION)
                .credentialsProvider(LocalAwsAccount.credentials())
                .build();
    }

    /**
     * Creates {@code name} and {@code name-dlq}, and makes SQS move a message to {@code name-dlq} once it has been
     * received {@code maxReceiveCount} times without being deleted. Calling it again for existing queues is harmless
     * and applies the given {@code maxReceiveCount}.
     */
    public synchronized QueueUrls createQueueWithDeadLetterQueue(String name, int maxReceiveCount) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("queue name must not be blank");
        }
        if (name.endsWith(".fifo")) {
            throw new IllegalArgumentException("FIFO queues are not supported by the embedded stack: " + name);
        }
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be at least 1, got " + maxReceiveCount);
        }
        String deadLetterQueueUrl = admin.createQueue(b -> b.queueName(name + DEAD_LETTER_SUFFIX)).queueUrl();
        String deadLetterQueueArn = admin.getQueueAttributes(b -> b.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        // Created bare, then configured: CreateQueue refuses an existing queue whose attributes differ.
        String queueUrl = admin.createQueue(b -> b.queueName(name)).queueUrl();
        String redrivePolicy = "{\"deadLetterTargetArn\":\"" + deadLetterQueueArn
                + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        admin.setQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrivePolicy)));
        QueueUrls urls = new QueueUrls(queueUrl, deadLetterQueueUrl);
        queues.put(name, urls);
        return urls;
    }

    /** Names of the queues created through {@link #createQueueWithDeadLetterQueue}, in creation order. */
    public synchronized List<String> queueNames() {
        return new ArrayList<>(queues.keySet());
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL_SQS", endpoint.toString());
        environment.putAll(LocalAwsAccount.environment());
        return environment;
    }

    @Override
    public synchronized String describe() {
        String queueList = queues.isEmpty()
                ? "no queues"
                : "queues: " + String.join(", ", queues.keySet().stream().map(q -> q + " (+dlq)").toList());
        return String.format("%-9s %s  %s", "SQS", endpoint, queueList);
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        admin.close();
        server.stopAndWait();
        log.info("SQS (ElasticMQ) on {} stopped", endpoint);
    }
}
