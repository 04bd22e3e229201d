package dev.sluice.core.pipeline;

import java.time.Duration;

/**
 * When a pipeline's job runs, written beside its settings in {@code jobs:}.
 *
 * @param every      time between the starts of two runs (required)
 * @param firstRun   delay of the first run after the start; default 5 s
 * @param maxRunTime a run that takes longer is aborted and tried again at the next start; default 30 min
 */
public record JobSchedule(Duration every, Duration firstRun, Duration maxRunTime) {

    public static final String[] KEYS = {"every", "firstRun", "maxRunTime"};

    public JobSchedule {
        if (every == null) {
            throw new IllegalArgumentException("every is required: the time between two runs, like 5m");
        }
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("every must be positive, got " + every);
        }
        firstRun = firstRun == null ? Duration.ofSeconds(5) : firstRun;
        maxRunTime = maxRunTime == null ? Duration.ofMinutes(30) : maxRunTime;
        if (maxRunTime.isZero() || maxRunTime.isNegative()) {
            throw new IllegalArgumentException("maxRunTime must be positive, got " + maxRunTime);
        }
    }
}
