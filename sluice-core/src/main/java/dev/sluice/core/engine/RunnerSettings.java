package dev.sluice.core.engine;

import java.time.Duration;

/**
 * How a {@link Runner} drives one pipeline. Every field has a default (see {@link #DEFAULTS}); a {@code null} in
 * the YAML means "use the default".
 *
 * @param receivers   concurrent pollers of the source (each one long-poll at a time)
 * @param maxInFlight messages received and not yet acknowledged, at most; bounds memory (DESIGN.md §2, rule 7)
 * @param batchSize   deliveries written to the sink in one call, at most
 * @param linger      how long a writer waits to fill a batch once it has its first message
 * @param writers     concurrent sink writers
 * @param backoff     retry delays for transient failures of the source and the sinks
 * @param stopTimeout how long a graceful stop may take before unfinished messages are left to redelivery
 * @param giveUpAfter how long a failure of unknown kind is retried (writing to the sink or the error sink, storing
 *                    the buffering sink's files) before that work is given up: its messages go back to the source
 *                    (an SQS queue's redrive policy then moves them to the dead-letter queue after their receive
 *                    limit) and the pipeline reports FAILING with the reason; default 10 min. A
 *                    {@link PermanentFailureException} is given up at once.
 */
public record RunnerSettings(
        Integer receivers,
        Integer maxInFlight,
        Integer batchSize,
        Duration linger,
        Integer writers,
        Backoff backoff,
        Duration stopTimeout,
        Duration giveUpAfter) {

    /** Every default; the values live once, in the constructor below. */
    public static final RunnerSettings DEFAULTS = new RunnerSettings(null, null, null, null, null, null, null, null);

    /** The settings with the default {@code giveUpAfter}. */
    public RunnerSettings(Integer receivers, Integer maxInFlight, Integer batchSize, Duration linger, Integer writers,
                          Backoff backoff, Duration stopTimeout) {
        this(receivers, maxInFlight, batchSize, linger, writers, backoff, stopTimeout, null);
    }

    public RunnerSettings {
        receivers = positive("receivers", receivers, 4);
        maxInFlight = positive("maxInFlight", maxInFlight, 2_000);
        batchSize = positive("batchSize", batchSize, 500);
        linger = linger == null ? Duration.ofMillis(20) : notNegative("linger", linger);
        writers = positive("writers", writers, 2);
        backoff = backoff == null ? Backoff.DEFAULT : backoff;
        stopTimeout = stopTimeout == null ? Duration.ofSeconds(20) : notNegative("stopTimeout", stopTimeout);
        giveUpAfter = giveUpAfter == null ? Duration.ofMinutes(10) : positive("giveUpAfter", giveUpAfter);
    }

    /** These settings with {@code maxInFlight} in place of this one's. */
    public RunnerSettings withMaxInFlight(int messages) {
        return new RunnerSettings(receivers, messages, batchSize, linger, writers, backoff, stopTimeout, giveUpAfter);
    }

    private static int positive(String name, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    private static Duration notNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }
}
