package dev.sluice.core.engine;

/**
 * Thrown by a sink, an error sink, a source or a job when retrying the same call cannot succeed and the data is
 * not at fault: a table or bucket that does not exist, a permission denied, a script the server refuses. (When the
 * data itself is refused, throw {@link DestinationRejectedException}: that becomes a reject.) The engine stops
 * retrying the work that met it, leaves its messages unacknowledged and reports the pipeline FAILING with this
 * reason; connectors classify their clients' errors into this, {@link DestinationRejectedException} or a transient
 * failure (anything else).
 *
 * <p>The message is shown in logs, status and metrics as it is, so it names the resource and the rule, never a
 * value or a key that may hold personal data ("table user_logins: permission denied (SQLState 42501)").
 */
public class PermanentFailureException extends Exception {
    public PermanentFailureException(String reason) {
        super(reason);
    }

    public PermanentFailureException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
