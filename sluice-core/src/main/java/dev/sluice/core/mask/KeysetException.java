package dev.sluice.core.mask;

/**
 * A keyset cannot be read, written or used. Messages name the file, variable or key id and the rule, and never
 * contain secret material or masked values, so they are safe to log and print.
 */
public class KeysetException extends RuntimeException {

    public KeysetException(String message) {
        super(message);
    }

    public KeysetException(String message, Throwable cause) {
        super(message, cause);
    }
}
