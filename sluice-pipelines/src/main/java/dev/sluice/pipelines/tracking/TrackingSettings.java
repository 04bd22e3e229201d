package dev.sluice.pipelines.tracking;

import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.RunnerSettings;

import java.time.Duration;

/**
 * Settings of the {@code tracking} pipeline ({@code pipelines.tracking} in sluice.yaml). Every field has a default.
 *
 * @param source  the SQS queue app events arrive on (default {@value #DEFAULT_QUEUE}, visibility timeout
 *                {@link #DEFAULT_VISIBILITY_TIMEOUT}: longer than a file stays open, so a message is usually stored
 *                and deleted before the heartbeat has to renew its claim)
 * @param bucket  the bucket raw files and chart images are stored in (default {@value #DEFAULT_BUCKET})
 * @param archive how events are rolled into raw gzip NDJSON files
 * @param load    the warehouse load job
 * @param charts  the charts job
 * @param runner  concurrency of the archiver; default {@link #DEFAULT_RUNNER}. A message is acknowledged only when
 *                its file is stored, so {@code maxInFlight} must exceed {@code archive.maxEvents}, else a file
 *                could never fill up and would only ever roll by age
 */
public record TrackingSettings(
        SqsSourceSettings source,
        String bucket,
        TrackingArchiveSettings archive,
        TrackingLoadSettings load,
        TrackingChartsSettings charts,
        RunnerSettings runner) {

    public static final String DEFAULT_QUEUE = "tracking-events";
    public static final String DEFAULT_BUCKET = "tracking";
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofMinutes(5);
    /** Room for two full default files: one filling while the one before is stored. */
    public static final RunnerSettings DEFAULT_RUNNER = new RunnerSettings(4, 20_000, 500, null, 2, null, null);
    public static final TrackingSettings DEFAULTS = new TrackingSettings(null, null, null, null, null, null);

    public TrackingSettings {
        source = source == null ? new SqsSourceSettings(DEFAULT_QUEUE, null, null, DEFAULT_VISIBILITY_TIMEOUT)
                : source;
        bucket = bucket == null || bucket.isBlank() ? DEFAULT_BUCKET : bucket;
        archive = archive == null ? TrackingArchiveSettings.DEFAULTS : archive;
        load = load == null ? TrackingLoadSettings.DEFAULTS : load;
        charts = charts == null ? TrackingChartsSettings.DEFAULTS : charts;
        runner = runner == null ? DEFAULT_RUNNER : runner;
        if (runner.maxInFlight() <= archive.maxEvents()) {
            throw new IllegalArgumentException("runner.maxInFlight (" + runner.maxInFlight() + ") must exceed "
                    + "archive.maxEvents (" + archive.maxEvents() + "): messages are acknowledged only when their "
                    + "file is stored, so a file could never reach maxEvents; raise maxInFlight (twice maxEvents "
                    + "keeps one file filling while the last one is stored) or lower maxEvents");
        }
    }
}
