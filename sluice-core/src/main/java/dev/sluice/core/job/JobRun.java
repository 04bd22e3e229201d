package dev.sluice.core.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One finished run of a job, as status views show it.
 *
 * @param job      the job's name
 * @param outcome  succeeded, skipped or failed
 * @param started  when the run began
 * @param duration how long it took
 * @param summary  the job's summary, or for a failure the exception's class and message
 */
public record JobRun(String job, Outcome outcome, Instant started, Duration duration, String summary) {

    /** The {@code outcome} tag of {@code sluice.job.runs}. */
    public enum Outcome {
        SUCCEEDED, SKIPPED, FAILED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public JobRun {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(summary, "summary");
    }
}
