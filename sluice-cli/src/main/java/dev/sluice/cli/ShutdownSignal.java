package dev.sluice.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM or Ctrl-C as something a command waits for. The JVM halts as soon as its shutdown hooks return, so the
 * hook here holds the JVM open until the command reports {@link #cleanedUp()} (or {@code cleanupBound} passes):
 * pipelines get to finish their batches and release their claims.
 */
final class ShutdownSignal {
    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    /** Time on top of the pipelines' stop timeout for closing pools, clients and embedded servers. */
    static final Duration CLOSING_TIME = Duration.ofSeconds(10);

    static ShutdownSignal install(Duration cleanupBound) {
        ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.signalled.countDown();
            try {
                signal.cleanedUp.await(cleanupBound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-shutdown"));
        return signal;
    }

    /** Waits up to {@code timeout}; true once the signal came. */
    boolean await(Duration timeout) throws InterruptedException {
        return signalled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void await() throws InterruptedException {
        signalled.await();
    }

    /** Lets the JVM exit. */
    void cleanedUp() {
        cleanedUp.countDown();
    }
}
