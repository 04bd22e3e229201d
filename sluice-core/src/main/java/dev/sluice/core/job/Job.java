package dev.sluice.core.job;

/**
 * Scheduled work: a name and one run. A run either finishes with a summary, is skipped (another instance is doing
 * it), or throws; a thrown run is logged and simply tried again at the next scheduled time, so a job must be safe to
 * repeat after a failure at any point (the warehouse load is: each file commits with its ledger row).
 *
 * <pre>{@code
 * Job load = new Job() {
 *     public String name() { return "tracking-load"; }
 *     public JobResult run() throws Exception { return JobResult.done("3 files loaded"); }
 * };
 * try (JobScheduler scheduler = JobScheduler.start(load, Duration.ofMinutes(5), Duration.ofSeconds(5),
 *         Duration.ofMinutes(30), registry, Clock.systemUTC())) { … }
 * }</pre>
 */
public interface Job {

    /** A short, stable name: the metrics tag and the log field; never data. */
    String name();

    /**
     * Does the work once.
     *
     * @return what was done (PII-free: counts and coordinates), or that the run was skipped and why
     * @throws Exception anything that went wrong; the scheduler logs it and tries again at the next run
     */
    JobResult run() throws Exception;

    /**
     * Called from another thread when a run outlasts the scheduler's max run time: makes the calls the run is blocked
     * in return (closes or aborts its connections), since a blocked socket read ignores an interrupt. The run then
     * fails, and the next scheduled run is the retry. A job whose calls all have their own bounds needs nothing here.
     */
    default void abort() {
    }
}
