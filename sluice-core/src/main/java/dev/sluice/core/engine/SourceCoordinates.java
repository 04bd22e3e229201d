package dev.sluice.core.engine;

/**
 * Where a message came from, in terms an operator can look up again. Coordinates never contain payload data, so
 * they are safe to log, to put in metrics tags (the stable parts) and in error rows.
 */
public sealed interface SourceCoordinates {

    /** A short, PII-free description for logs, e.g. {@code sqs:login-queue/4f1c…#2}. */
    String describe();

    /**
     * What stays the same when the same input comes again, so a sink can store it under this key idempotently: the
     * SQS message id (the same across redeliveries), the stream's shard and sequence number, the object's bucket,
     * key and ETag. PII-free, like everything here.
     */
    String naturalKey();

    /** A message on a queue; {@code receiveCount} is 1 on first delivery. */
    record Queue(String queue, String messageId, int receiveCount) implements SourceCoordinates {
        @Override
        public String describe() {
            return "sqs:" + queue + "/" + messageId + "#" + receiveCount;
        }

        @Override
        public String naturalKey() {
            return messageId;
        }
    }

    /** A record on a stream shard. */
    record Stream(String stream, String shardId, String sequenceNumber) implements SourceCoordinates {
        @Override
        public String describe() {
            return "kinesis:" + stream + "/" + shardId + "@" + sequenceNumber;
        }

        @Override
        public String naturalKey() {
            return shardId + "@" + sequenceNumber;
        }
    }

    /** An object in a bucket, pinned to the version (ETag) that was read. */
    record StoredObject(String bucket, String key, String etag) implements SourceCoordinates {
        @Override
        public String describe() {
            return "s3:" + bucket + "/" + key + "@" + etag;
        }

        @Override
        public String naturalKey() {
            return bucket + "/" + key + "@" + etag;
        }
    }
}
