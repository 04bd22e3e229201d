package dev.sluice.local;

/** The URLs of a queue and of the dead-letter queue its poison messages are moved to. */
public record QueueUrls(String queueUrl, String deadLetterQueueUrl) {
}
