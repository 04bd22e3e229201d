package dev.sluice.bench;

import dev.sluice.aws.sqs.SqsSourceSettings;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limit the pipeline is compared with: {@code receivers} virtual threads, each looping ReceiveMessage (as many
 * per poll and the same visibility as the pipeline's {@code polling}, the same system attributes the SQS source asks
 * for) then DeleteMessageBatch, until {@code count} messages are deleted. Nothing else: no parsing, no database.
 */
final class RawDrain {
    /** Short enough that receivers notice the end quickly; a long poll returns at once while messages remain. */
    private static final int WAIT_SECONDS = 1;

    private RawDrain() {
    }

    static Duration run(SqsClient sqs, String queueUrl, SqsSourceSettings polling, int receivers, int count) {
        AtomicInteger deleted = new AtomicInteger();
        long started = System.nanoTime();
        long[] finished = new long[1];
        List<Future<?>> loops = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int r = 0; r < receivers; r++) {
                loops.add(threads.submit(() -> {
                    while (deleted.get() < count) {
                        var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                                .maxNumberOfMessages(polling.maxMessagesPerPoll())
                                .waitTimeSeconds(WAIT_SECONDS)
                                .visibilityTimeout((int) polling.visibilityTimeout().toSeconds())
                                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                        MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
                        if (messages.isEmpty()) {
                            continue;
                        }
                        deleteBatch(sqs, queueUrl, messages.stream().map(Message::receiptHandle).toList());
                        if (deleted.addAndGet(messages.size()) >= count) {
                            synchronized (finished) {
                                if (finished[0] == 0) {
                                    finished[0] = System.nanoTime();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
        }
        loops.forEach(Futures::join);
        return Duration.ofNanos(finished[0] - started);
    }

    /** One DeleteMessageBatch of at most 10 receipt handles; a refused entry is an error. */
    static void deleteBatch(SqsClient sqs, String queueUrl, List<String> receiptHandles) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(receiptHandles.size());
        for (int i = 0; i < receiptHandles.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(receiptHandles.get(i)).build());
        }
        var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        if (!response.failed().isEmpty()) {
            throw new IllegalStateException("DeleteMessageBatch refused " + response.failed().size()
                    + " entries: " + response.failed().getFirst().code());
        }
    }
}
