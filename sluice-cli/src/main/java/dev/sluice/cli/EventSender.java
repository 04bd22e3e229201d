package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.pipelines.logins.LoginGenerator;
import dev.sluice.pipelines.tracking.TrackingEventGenerator;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Sends generated bodies to a queue in batches of 10, paced to a rate or as fast as a few parallel senders go, each
 * sender with its own generator. Used by {@code sluice generate logins|tracking} and the demo.
 */
final class EventSender {
    private static final int BATCH = SqsBatchSender.MAX_BATCH;
    private static final int PARALLEL_WHEN_UNPACED = 4;

    private final SqsClient sqs;
    private final String queueUrl;
    /** A new generator for sender number i. */
    private final IntFunction<Supplier<String>> generators;
    private final AtomicLong sent = new AtomicLong();

    private EventSender(SqsClient sqs, String queueUrl, IntFunction<Supplier<String>> generators) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.generators = generators;
    }

    /** Login bodies ({@link LoginGenerator}), sender i seeded with {@code seed + i}. */
    static EventSender logins(SqsClient sqs, String queueUrl, long seed, double duplicateRate, double malformedRate) {
        LoginGenerator.checkRates(duplicateRate, malformedRate);
        return new EventSender(sqs, queueUrl,
                i -> new LoginGenerator(seed + i, duplicateRate, malformedRate)::next);
    }

    /** App event bodies ({@link TrackingEventGenerator}), sender i seeded with {@code seed + i}. */
    static EventSender tracking(SqsClient sqs, String queueUrl, long seed, double duplicateRate,
                                double malformedRate) {
        LoginGenerator.checkRates(duplicateRate, malformedRate);
        return new EventSender(sqs, queueUrl,
                i -> new TrackingEventGenerator(seed + i, duplicateRate, malformedRate, Clock.systemUTC())::next);
    }

    long sent() {
        return sent.get();
    }

    /**
     * Sends {@code count} bodies ({@code Long.MAX_VALUE}: until interrupted), at {@code rate} or unpaced when null,
     * stopping after {@code duration} when one is given.
     */
    void send(long count, Rate rate, Duration duration) throws InterruptedException, ExecutionException {
        int senders = rate == null ? PARALLEL_WHEN_UNPACED : 1;
        AtomicLong claimed = new AtomicLong();
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                Supplier<String> generator = generators.apply(i);
                running.add(pool.submit(() -> sendLoop(generator, count, deadline, claimed, rate)));
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

    private void sendLoop(Supplier<String> generator, long count, long deadline, AtomicLong claimed, Rate rate) {
        long started = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            long first = claimed.getAndAdd(BATCH);
            if (first >= count) {
                return;
            }
            int n = (int) Math.min(BATCH, count - first);
            if (rate != null && !waitForSlot(started, first, rate) || System.nanoTime() >= deadline) {
                return;
            }
            List<String> bodies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bodies.add(generator.get());
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
            Thread.sleep(Duration.ofNanos(wait));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
