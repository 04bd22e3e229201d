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
     *
     * <p>Field names come from producers, so the reason is made safe here, once for every stage: control characters
     * (a NUL that Postgres refuses, line breaks that forge log lines) become {@code ?}, and it is cut to
     * {@value #MAX_REASON_CHARS} characters.
     */
    record Reject<T>(String reason) implements Outcome<T> {
        public static final int MAX_REASON_CHARS = 1_000;

        public Reject {
            Objects.requireNonNull(reason, "reason");
            StringBuilder safe = new StringBuilder(Math.min(reason.length(), MAX_REASON_CHARS));
            reason.codePoints().limit(MAX_REASON_CHARS)
                    .forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
            if (reason.codePointCount(0, reason.length()) > MAX_REASON_CHARS) {
                safe.append('…');
            }
            reason = safe.toString();
        }
    }
}
