package dev.sluice.core.engine;

/**
 * Thrown by a {@link Sink} when the destination refuses the data itself (a constraint, a value out of range), so
 * retrying the same write cannot succeed. The runner then writes the batch one delivery at a time and turns each
 * delivery that is refused on its own into a reject, instead of retrying forever.
 *
 * <p>The message becomes the reject's reason as it is, so it says who refused and names the rule, never a value
 * ("table user_logins refused the row: value too long, column country").
 */
public class DestinationRejectedException extends Exception {
    public DestinationRejectedException(String reason) {
        super(reason);
    }

    public DestinationRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
