package dev.sluice.aws.s3;

/**
 * The notified object or its bucket no longer exists: a permanent condition (retrying cannot bring the object
 * back), so the message becomes a reject, never a retry loop. The message names bucket and key, never content.
 */
public class MissingObjectException extends Exception {
    public MissingObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
