package dev.sluice.aws.kinesis.source;

/** Where a shard without a checkpoint starts. */
public enum StartPosition {
    /** The oldest record still kept: everything in the stream's retention. */
    TRIM_HORIZON,
    /** Only records put after the source started. */
    LATEST,
    /** Records that arrived at or after {@link KinesisSourceSettings#startTimestamp()}. */
    AT_TIMESTAMP
}
