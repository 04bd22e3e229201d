package dev.sluice.cli;

import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a generator left on a queue, for the generate tests. */
final class QueueContents {
    private QueueContents() {
    }

    /** Messages on the queue, visible or claimed. */
    static long depth(SqsClient client, String queueUrl) {
        Map<String, String> attributes = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return Long.parseLong(attributes.get("ApproximateNumberOfMessages"))
                + Long.parseLong(attributes.get("ApproximateNumberOfMessagesNotVisible"));
    }

    /** Receives (and keeps claimed) every message; fails if more or fewer than {@code expected} arrive. */
    static List<String> receiveAll(SqsClient client, String queueUrl, int expected) {
        List<String> bodies = new ArrayList<>();
        int emptyPolls = 0;
        while (emptyPolls < 2) {
            var messages = client.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(300).waitTimeSeconds(1)).messages();
            emptyPolls = messages.isEmpty() ? emptyPolls + 1 : 0;
            messages.forEach(m -> bodies.add(m.body()));
        }
        assertThat(bodies).as("received bodies").hasSize(expected);
        return bodies;
    }
}
