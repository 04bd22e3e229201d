package dev.sluice.core.job;

import java.util.Objects;

/**
 * What one run of a {@link Job} did.
 *
 * @param skipped true when the run did nothing on purpose (another instance holds the job's lock)
 * @param summary one PII-free line: counts, coordinates, or why the run was skipped
 */
public record JobResult(boolean skipped, String summary) {

    public JobResult {
        Objects.requireNonNull(summary, "summary");
    }

    public static JobResult done(String summary) {
        return new JobResult(false, summary);
    }

    public static JobResult skipped(String why) {
        return new JobResult(true, why);
    }
}
