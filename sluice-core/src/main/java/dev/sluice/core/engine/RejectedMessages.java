package dev.sluice.core.engine;

/**
 * What happens to a source message once its reject is stored in the error sink.
 */
public enum RejectedMessages {
    /**
     * Acknowledge it (delete it from the queue): the error sink holds its raw payload, so nothing is lost. For
     * messages that are the data themselves, such as login events.
     */
    ACKNOWLEDGE,
    /**
     * Give it back to the source at once, so the queue's redrive policy moves it to the dead-letter queue after its
     * maximum receive count. For messages that point at data elsewhere (an S3 notification of a bad file): the
     * message stays replayable, and each receive records the reject again, idempotently.
     */
    RELEASE_FOR_REDRIVE
}
