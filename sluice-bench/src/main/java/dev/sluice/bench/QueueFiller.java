package dev.sluice.bench;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.pipelines.logins.LoginGenerator;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/** Puts generated bodies on the queue with SendMessageBatch from several virtual threads. */
final class QueueFiller {
    private static final int SENDERS = 8;

    private QueueFiller() {
    }

    /** Sends {@code count} login bodies (no duplicates, none malformed) and returns once SQS accepted all of them. */
    static void fill(SqsClient sqs, String queueUrl, int count, long seed) {
        fill(sqs, queueUrl, count, seed, senderSeed -> new LoginGenerator(senderSeed, 0, 0)::next);
    }

    /**
     * Sends {@code count} bodies, each sender drawing from its own {@code bodies.apply(senderSeed)}, and returns once
     * SQS accepted all of them. The same {@code seed} and a repeatable generator send the same bodies again.
     */
    static void fill(SqsClient sqs, String queueUrl, int count, long seed, LongFunction<Supplier<String>> bodies) {
        List<Future<?>> sending = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < SENDERS; s++) {
                int share = count / SENDERS + (s < count % SENDERS ? 1 : 0);
                Supplier<String> generator = bodies.apply(seed * 31 + s);
                sending.add(senders.submit(() -> {
                    for (int sent = 0; sent < share; sent += 10) {
                        List<String> batch = new ArrayList<>(10);
                        for (int i = 0; i < Math.min(10, share - sent); i++) {
                            batch.add(generator.get());
                        }
                        SqsBatchSender.send(sqs, queueUrl, batch);
                    }
                    return null;
                }));
            }
        }
        sending.forEach(Futures::join);
    }
}
