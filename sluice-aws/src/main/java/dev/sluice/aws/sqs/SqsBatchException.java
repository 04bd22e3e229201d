package dev.sluice.aws.sqs;

import java.util.List;

/**
 * SQS refused some entries of a delete or visibility batch for a reason other than a stale receipt handle. The
 * whole call may be retried: both operations are idempotent. The message names message ids and SQS error codes
 * only, never bodies.
 */
public final class SqsBatchException extends Exception {
    private final List<String> failedMessageIds;

    SqsBatchException(String operation, String queue, List<String> failures, List<String> failedMessageIds) {
        super(operation + " on queue " + queue + " failed for " + failures.size() + " messages: "
                + String.join("; ", failures));
        this.failedMessageIds = List.copyOf(failedMessageIds);
    }

    /** The SQS message ids of the entries that failed. */
    public List<String> failedMessageIds() {
        return failedMessageIds;
    }
}
