package dev.sluice.pipelines;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crash tests' run: worker JVMs killed with SIGKILL mid-run and restarted, until a last one finishes the work.
 *
 * <pre>{@code
 * SigkillRestarts.run(() -> DefinitionWorker.start(logs, environment, "orders", file), h::rows, h::queueDepth,
 *         6_000, 1_000, 2_500, 4_000);
 * }</pre>
 */
public final class SigkillRestarts {

    private SigkillRestarts() {
    }

    /**
     * Starts a worker and kills it with SIGKILL once {@code rows} reaches each of {@code killAt}, starting a new one
     * after each kill; the last one runs until {@code rows} reaches {@code total} and the queue is empty, and is then
     * stopped with SIGTERM. Fails when a kill came too late to be mid-run or the last worker does not stop cleanly.
     */
    public static void run(Callable<Process> start, LongSupplier rows, LongSupplier queueDepth, long total,
                           long... killAt) throws Exception {
        for (long rowsAtKill : killAt) {
            Process worker = start.call();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> rows.getAsLong() >= rowsAtKill);
            } finally {
                worker.destroyForcibly();
            }
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            assertThat(rows.getAsLong()).as("killed mid-run").isLessThan(total);
        }

        Process last = start.call();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> rows.getAsLong() >= total
                    && queueDepth.getAsLong() == 0);
            last.destroy();
            assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            // A worker that did not finish or stop must not outlive the test.
            last.destroyForcibly();
        }
        assertThat(last.exitValue()).as("SIGTERM stops gracefully").isIn(0, 143);
    }
}
