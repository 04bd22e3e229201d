package dev.sluice.bench;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.pipelines.logins.LoginGenerator;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Puts realistic login bodies on the queue with SendMessageBatch from several virtual threads. */
final class QueueFiller {
    private static final int SENDERS = 8;

    private QueueFiller() {
    }

    /** Sends {@code count} bodies (no duplicates, none malformed) and returns once SQS accepted all of them. */
    static void fill(SqsClient sqs, String queueUrl, int count, long seed) {
        List<Future<?>> sending = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < SENDERS; s++) {
                int share = count / SENDERS + (s < count % SENDERS ? 1 : 0);
                LoginGenerator generator = new LoginGenerator(seed * 31 + s, 0, 0);
                sending.add(senders.submit(() -> {
                    for (int sent = 0; sent < share; sent += 10) {
                        List<String> bodies = new ArrayList<>(10);
                        for (int i = 0; i < Math.min(10, share - sent); i++) {
                            bodies.add(generator.next());
                        }
                        SqsBatchSender.send(sqs, queueUrl, bodies);
                    }
                    return null;
                }));
            }
        }
        sending.forEach(Futures::join);
    }
}
