package dev.sluice.bench;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.pipelines.logins.LoginGenerator;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer at a steady rate: one SendMessageBatch of 10 every {@code 10 / rate} seconds, on a fixed schedule
 * (a slow call does not push the next one back; calls run on virtual threads so they may overlap).
 */
final class PacedSender {
    private static final int BATCH = 10;

    record Sent(int messages, Duration took) {
        double perSecond() {
            return messages / (took.toNanos() / 1e9);
        }
    }

    private PacedSender() {
    }

    static Sent run(SqsClient sqs, String queueUrl, int perSecond, Duration duration, long seed) {
        LoginGenerator generator = new LoginGenerator(seed, 0, 0);
        long interval = 1_000_000_000L * BATCH / perSecond;
        int batches = (int) (duration.toNanos() / interval);
        List<Future<?>> calls = new ArrayList<>(batches);
        long started = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int b = 0; b < batches; b++) {
                long due = started + b * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                List<String> bodies = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    bodies.add(generator.next());
                }
                calls.add(senders.submit(() -> {
                    SqsBatchSender.send(sqs, queueUrl, bodies);
                    return null;
                }));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        calls.forEach(Futures::join);
        return new Sent(batches * BATCH, took);
    }
}
