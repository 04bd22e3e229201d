package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.pipelines.logins.LoginGenerator;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends generated login bodies to a queue in batches of 10, paced to a rate or as fast as a few parallel senders
 * go. Used by {@code sluice generate logins} and the demo.
 */
final class LoginSender {
    private static final int BATCH = SqsBatchSender.MAX_BATCH;
    private static final int PARALLEL_WHEN_UNPACED = 4;

    private final SqsClient sqs;
    private final String queueUrl;
    private final long seed;
    private final double duplicateRate;
    private final double malformedRate;
    private final AtomicLong sent = new AtomicLong();

    LoginSender(SqsClient sqs, String queueUrl, long seed, double duplicateRate, double malformedRate) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.seed = seed;
        this.duplicateRate = duplicateRate;
        this.malformedRate = malformedRate;
        LoginGenerator.checkRates(duplicateRate, malformedRate);
    }

    long sent() {
        return sent.get();
    }

    /**
     * Sends {@code count} bodies ({@code Long.MAX_VALUE}: until interrupted), at {@code rate} or unpaced when null.
     */
    void send(long count, Rate rate) throws InterruptedException, ExecutionException {
        int senders = rate == null ? PARALLEL_WHEN_UNPACED : 1;
        AtomicLong claimed = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                LoginGenerator generator = new LoginGenerator(seed + i, duplicateRate, malformedRate);
                running.add(pool.submit(() -> sendLoop(generator, count, claimed, rate)));
            }
            try {
                for (Future<?> f : running) {
                    f.get();
                }
            } finally {
                running.forEach(f -> f.cancel(true));
            }
        }
    }

    private void sendLoop(LoginGenerator generator, long count, AtomicLong claimed, Rate rate) {
        long started = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            long first = claimed.getAndAdd(BATCH);
            if (first >= count) {
                return;
            }
            int n = (int) Math.min(BATCH, count - first);
            if (rate != null && !waitForSlot(started, first, rate)) {
                return;
            }
            List<String> bodies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bodies.add(generator.next());
            }
            SqsBatchSender.send(sqs, queueUrl, bodies);
            sent.addAndGet(n);
        }
    }

    /** Sleeps until message number {@code index} is due at {@code rate}; false when interrupted. */
    private static boolean waitForSlot(long started, long index, Rate rate) {
        long due = started + (long) (index / rate.perSecond() * 1e9);
        long wait = due - System.nanoTime();
        if (wait <= 0) {
            return true;
        }
        try {
            Thread.sleep(java.time.Duration.ofNanos(wait));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
