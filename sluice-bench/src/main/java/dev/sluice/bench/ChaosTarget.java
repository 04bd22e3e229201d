package dev.sluice.bench;

import dev.sluice.local.EmbeddedStack;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pipeline under a chaos run: what it needs from the stack, its settings in the worker's sluice.yaml, its
 * generator (run here, straight to the servers, keeping a ledger of every input the servers acknowledged), a count
 * that moves when its sinks take something in, and the final check of its sinks against the ledger.
 */
abstract class ChaosTarget {
    /** How often the generator sends a share of its rate. */
    private static final Duration TICK = Duration.ofMillis(100);

    private final String name;
    private final Set<ChaosStack.Service> services;
    /** The queue the generator fills, or null (the lake reads a stream). */
    private final ChaosQueue queue;
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong failedSends = new AtomicLong();
    private Thread sender;

    /**
     * @param name     the pipeline's name, as {@code sluice run} takes it
     * @param services what the pipeline depends on
     * @param queue    the queue its generator fills, or null
     */
    ChaosTarget(String name, Set<ChaosStack.Service> services, ChaosQueue queue) {
        this.name = name;
        this.services = services;
        this.queue = queue;
    }

    final String name() {
        return name;
    }

    final Set<ChaosStack.Service> services() {
        return services;
    }

    final ChaosQueue queue() {
        return queue;
    }

    /** Asks the stack for this pipeline's queue, and for its bucket, stream or Redis ({@link #prepareMore}). */
    final void prepare(EmbeddedStack.Builder stack) {
        if (queue != null) {
            queue.prepare(stack);
        }
        prepareMore(stack);
    }

    /** Asks the stack for what the pipeline needs besides its queue. */
    void prepareMore(EmbeddedStack.Builder stack) {
    }

    /** This pipeline's entry under {@code pipelines:} in the worker's sluice.yaml, indented by four spaces. */
    abstract String settings();

    /** Inputs a second the generator sends when the run's {@code --rate} is {@code eventsPerSecond}. */
    double perSecond(int eventsPerSecond) {
        return eventsPerSecond;
    }

    /** Sends {@code count} inputs and records each one the server acknowledged in the ledger. */
    abstract void send(ChaosStack stack, int count) throws Exception;

    /** What the sinks hold now, as one number that grows as the pipeline stores or rejects. */
    abstract long sinkCount(ChaosStack stack) throws Exception;

    /** Inputs waiting in the source, or not yet in a sink: by default the queue's messages, visible or claimed. */
    long backlog(ChaosStack stack) throws Exception {
        return queue.backlog(stack);
    }

    /** The sinks against the ledger, once the worker is stopped and the pipeline drained. */
    abstract ChaosVerdict verify(ChaosStack stack) throws Exception;

    /** Runs the generator at {@code perSecond} inputs a second (fractions allowed) until {@link #stopSending()}. */
    final void startSending(ChaosStack stack, double perSecond) {
        sending.set(true);
        double perTick = perSecond * TICK.toMillis() / 1000.0;
        sender = Thread.ofVirtual().name(name() + "-generator").start(() -> {
            double due = 0;
            while (sending.get()) {
                long next = System.nanoTime() + TICK.toNanos();
                due = Math.min(due + perTick, Math.max(1, perTick * 10)); // no burst after an outage
                try {
                    if (due >= 1) {
                        send(stack, (int) due);
                        due -= (int) due;
                    }
                } catch (Exception e) {
                    // a store the generator writes to is down (S3 for playtime): the ledger holds only what arrived
                    if (failedSends.getAndIncrement() == 0) {
                        System.err.println(name() + " generator: a send failed, retrying next tick: " + e);
                    }
                }
                sleepUntil(next);
            }
        });
    }

    final void stopSending() throws InterruptedException {
        sending.set(false);
        if (sender != null) {
            sender.join(Duration.ofMinutes(1));
        }
    }

    /** Sends that failed (their inputs are not in the ledger, and were sent again as new ones). */
    final long failedSends() {
        return failedSends.get();
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
