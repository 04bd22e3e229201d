package dev.sluice.aws.kinesis.proxy;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of a shard.
 *
 * @param sequenceNumber its position in the shard, decimal digits growing within the shard
 * @param arrivedAt      when Kinesis accepted it (ApproximateArrivalTimestamp)
 * @param data           the producer's bytes
 */
public record StreamRecord(String sequenceNumber, Instant arrivedAt, byte[] data) {

    public StreamRecord {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(arrivedAt, "arrivedAt");
        Objects.requireNonNull(data, "data");
    }
}
