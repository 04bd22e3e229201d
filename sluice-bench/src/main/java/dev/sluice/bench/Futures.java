package dev.sluice.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Rethrows what a finished task threw, so a failed sender or receiver fails the benchmark instead of hiding. */
final class Futures {
    private Futures() {
    }

    static void join(Future<?> done) {
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
