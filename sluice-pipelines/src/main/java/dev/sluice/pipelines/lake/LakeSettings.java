package dev.sluice.pipelines.lake;

import dev.sluice.aws.kinesis.source.KinesisSourceSettings;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.parquet.lake.LakeFileSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the {@code lake} pipeline ({@code pipelines.lake} in sluice.yaml). Every field has a default.
 *
 * @param source        {@code kinesis} (default) or {@code sqs}: where the events come from; SQS lets the pipeline
 *                      run where the Kinesis emulator cannot (no Node)
 * @param kinesis       the stream (default {@value #DEFAULT_STREAM}), where a shard without a checkpoint starts
 *                      ({@code trim_horizon} default, {@code latest}, {@code at_timestamp} with
 *                      {@code startTimestamp}) and the reader's pacing (see {@link KinesisSourceSettings})
 * @param queue         the SQS queue for {@code source: sqs} (default {@value #DEFAULT_QUEUE})
 * @param bucket        the lake's bucket (default {@value S3LakeObjectStore#DEFAULT_BUCKET})
 * @param files         key prefix (default {@code events/}), roll by size, age and open-file cap, row group,
 *                      compression (see {@link LakeFileSettings})
 * @param dedupe        how long an event_uuid is remembered (default 24 h of event time) and the in-memory filters
 * @param maxFuture     how far ahead of the clock a created_at may be (default 1 day)
 * @param workDirectory where files are written before they are stored (default: a new temporary directory)
 * @param runner        concurrency and retries; when absent, {@link #DEFAULT_RUNNER}; one receiver and one
 *                      writer, anything else is refused (see there). Messages stay in flight until
 *                      their file is stored (up to {@code files.maxFileAge}), so {@code maxInFlight} bounds both the
 *                      memory and how many events the open files can hold together
 */
public record LakeSettings(SourceKind source, KinesisSourceSettings kinesis, SqsSourceSettings queue, String bucket, LakeFileSettings files, DedupeSettings dedupe,
                           Duration maxFuture, Path workDirectory, RunnerSettings runner) {

    public static final String DEFAULT_STREAM = "product-events";
    public static final String DEFAULT_QUEUE = "lake-events";
    /**
     * One receiver and one writer, so records reach the files in shard order: a file is named by its first record,
     * and two writers could put a later batch of a shard into a file before an earlier one, so that a replay names
     * the same records' file differently and the old object stays next to the new one (LakeKinesisEndToEndTest
     * caught exactly that with two writers). 100,000 events in flight: five minutes of files at 1M events/hour,
     * about 50 MB of 500-byte records.
     */
    public static final RunnerSettings DEFAULT_RUNNER = new RunnerSettings(1, 100_000, null, null, 1, null, null);
    public static final LakeSettings DEFAULTS = new LakeSettings(null, null, null, null, null, null, null, null,
            null);

    /** Where the pipeline reads events. */
    public enum SourceKind { KINESIS, SQS }

    public LakeSettings {
        source = source == null ? SourceKind.KINESIS : source;
        kinesis = kinesis == null ? KinesisSourceSettings.of(DEFAULT_STREAM) : kinesis;
        queue = queue == null ? SqsSourceSettings.of(DEFAULT_QUEUE) : queue;
        bucket = bucket == null ? S3LakeObjectStore.DEFAULT_BUCKET : bucket;
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        files = files == null ? LakeFileSettings.DEFAULTS : files;
        dedupe = dedupe == null ? DedupeSettings.DEFAULTS : dedupe;
        maxFuture = maxFuture == null ? LakeEventParser.DEFAULT_MAX_FUTURE : maxFuture;
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("maxFuture must not be negative, was " + maxFuture);
        }
        runner = runner == null ? DEFAULT_RUNNER : runner;
        if (runner.receivers() != 1 || runner.writers() != 1) {
            throw new IllegalArgumentException("runner.receivers and runner.writers must both be 1 (files are named "
                    + "by their first record, so each shard's records must reach them in order), were "
                    + runner.receivers() + " and " + runner.writers()
                    + "; a partial runner section takes the engine's defaults (4 and 2), so set both");
        }
    }
}
