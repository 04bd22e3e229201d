package dev.sluice.core.engine;

import java.util.Objects;

/** What a {@link Stage} made of its input: a value to pass on, nothing, or a rejection with a reason. */
public sealed interface Outcome<T> {

    static <T> Outcome<T> emit(T value) {
        return new Emit<>(value);
    }

    static <T> Outcome<T> drop(String why) {
        return new Drop<>(why);
    }

    static <T> Outcome<T> reject(String reason) {
        return new Reject<>(reason);
    }

    /** Passes {@code value} to the next stage or the sink. */
    record Emit<T>(T value) implements Outcome<T> {
        public Emit {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Nothing to write, and nothing wrong either (a test event, a filtered notification). The message is acked. */
    record Drop<T>(String why) implements Outcome<T> {
    }

    /**
     * The input breaks a rule. {@code reason} names the field and the rule and never contains payload values, so it
     * is safe for logs; the raw payload is kept in the error sink.
     */
    record Reject<T>(String reason) implements Outcome<T> {
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
