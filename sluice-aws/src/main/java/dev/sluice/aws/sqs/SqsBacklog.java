package dev.sluice.aws.sqs;

import dev.sluice.core.engine.Backlog;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a queue's backlog for status views: waiting and in-flight messages from the queue's attributes, and the
 * depth of the dead-letter queue its redrive policy names (found once, by the ARN's account and name). Needs
 * {@code sqs:GetQueueAttributes} on both queues and {@code sqs:GetQueueUrl} on the dead-letter queue.
 */
final class SqsBacklog {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SqsClient client;
    private final String queueUrl;
    private volatile Optional<String> deadLetterQueueUrl;

    SqsBacklog(SqsClient client, String queueUrl) {
        this.client = client;
        this.queueUrl = queueUrl;
    }

    Backlog read() {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.REDRIVE_POLICY)).attributes();
        if (deadLetterQueueUrl == null) {
            deadLetterQueueUrl = deadLetterQueueUrl(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        }
        OptionalLong deadLetters = deadLetterQueueUrl
                .map(url -> OptionalLong.of(count(client.getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes(),
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
                .orElse(OptionalLong.empty());
        return new Backlog(count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), deadLetters);
    }

    /** {@code {"deadLetterTargetArn":"arn:aws:sqs:REGION:ACCOUNT:NAME","maxReceiveCount":5}} → the DLQ's URL. */
    private Optional<String> deadLetterQueueUrl(String redrivePolicy) {
        if (redrivePolicy == null || redrivePolicy.isBlank()) {
            return Optional.empty();
        }
        JsonNode arn = JSON.readTree(redrivePolicy).path("deadLetterTargetArn");
        String[] parts = arn.asString("").split(":");
        if (parts.length != 6) {
            return Optional.empty();
        }
        return Optional.of(client.getQueueUrl(r -> r.queueName(parts[5]).queueOwnerAWSAccountId(parts[4]))
                .queueUrl());
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        return Long.parseLong(attributes.getOrDefault(name, "0"));
    }
}
