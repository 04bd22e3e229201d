package dev.sluice.bench;

import dev.sluice.local.EmbeddedStack;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The SQS queue a chaos target's generator fills, with the embedded stack's dead-letter queue behind it. */
final class ChaosQueue {
    /** As the embedded stack and the docs' deployments: a message received this often goes to the dead-letter queue. */
    private static final int MAX_RECEIVE_COUNT = 5;
    private static final int BATCH = 10;

    private final String name;
    private SqsClient client;
    private String url;
    private String deadLetterUrl;

    ChaosQueue(String name) {
        this.name = name;
    }

    void prepare(EmbeddedStack.Builder stack) {
        stack.queue(name, MAX_RECEIVE_COUNT);
    }

    /** The pipeline's {@code source:} settings: this queue, with a 30 s claim (as shipped for logins and playtime). */
    String sourceSettings(String pipeline) {
        return "    " + pipeline + ":\n      source:\n        queue: " + name + "\n        visibilityTimeout: 30s\n";
    }

    private synchronized SqsClient client(ChaosStack stack) {
        if (client == null) {
            client = stack.servers().sqs().newClient();
            url = client.getQueueUrl(b -> b.queueName(name)).queueUrl();
            deadLetterUrl = client.getQueueUrl(b -> b.queueName(name + "-dlq")).queueUrl();
        }
        return client;
    }

    /** Sends {@code bodies} in batches of ten; {@code sent} gets each body the queue took, with its message id. */
    void send(ChaosStack stack, List<String> bodies, BiConsumer<String, String> sent) {
        SqsClient sqs = client(stack);
        for (int from = 0; from < bodies.size(); from += BATCH) {
            List<String> batch = bodies.subList(from, Math.min(bodies.size(), from + BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.get(i))
                        .build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            response.successful().forEach(ok -> sent.accept(batch.get(Integer.parseInt(ok.id())), ok.messageId()));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException(response.failed().size() + " of " + batch.size()
                        + " messages refused by " + name + ": " + response.failed().getFirst().message());
            }
        }
    }

    /** Messages visible or claimed in the queue. */
    long backlog(ChaosStack stack) {
        client(stack);
        return depth(stack, url);
    }

    /** Messages SQS moved to the dead-letter queue (received {@value #MAX_RECEIVE_COUNT} times, never deleted). */
    long deadLettered(ChaosStack stack) {
        client(stack);
        return depth(stack, deadLetterUrl);
    }

    private long depth(ChaosStack stack, String queueUrl) {
        Map<QueueAttributeName, String> attributes = client(stack).getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
