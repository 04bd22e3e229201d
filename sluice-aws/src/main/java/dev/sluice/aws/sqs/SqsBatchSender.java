package dev.sluice.aws.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Sends bodies to a queue with SendMessageBatch, ten per call, for generators, tests and benchmarks. */
public final class SqsBatchSender {
    /** The most entries SQS takes in one SendMessageBatch. */
    public static final int MAX_BATCH = 10;

    private SqsBatchSender() {
    }

    /**
     * Sends every body, in order, in calls of at most ten.
     *
     * @return the SQS message ids, in the order of {@code bodies}
     * @throws IllegalStateException naming the SQS error code if any entry is refused (never the body)
     */
    public static List<String> send(SqsClient client, String queueUrl, List<String> bodies) {
        List<String> ids = new ArrayList<>(bodies.size());
        for (int from = 0; from < bodies.size(); from += MAX_BATCH) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(MAX_BATCH);
            for (int i = from; i < Math.min(bodies.size(), from + MAX_BATCH); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from))
                        .messageBody(bodies.get(i)).build());
            }
            var response = client.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SQS refused " + response.failed().size() + " of " + entries.size()
                        + " messages: " + response.failed().getFirst().code());
            }
            response.successful().stream()
                    .sorted(Comparator.comparingInt((SendMessageBatchResultEntry ok) -> Integer.parseInt(ok.id())))
                    .forEach(ok -> ids.add(ok.messageId()));
        }
        return ids;
    }
}
