package dev.sluice.server;

/**
 * Exceptions as they may be logged by the server: classes and stack frames only. Messages are dropped because they
 * can carry the data being served (a user id in a Redis key, a value a parser choked on), and the logs of an API
 * must not become a copy of its personal data.
 */
final class Redacted {

    private static final int MAX_CAUSES = 8;

    private Redacted() {
    }

    /**
     * A copy of {@code failure} and its causes whose messages are only the original class names, with the original
     * stack traces: what the log needs to find the code, nothing of the data.
     */
    static Throwable copy(Throwable failure) {
        return copy(failure, 0);
    }

    private static Throwable copy(Throwable failure, int depth) {
        // Bounded: a cause chain can loop.
        Throwable cause = failure.getCause() == null || depth >= MAX_CAUSES
                ? null : copy(failure.getCause(), depth + 1);
        Throwable copy = new Throwable(failure.getClass().getName(), cause, false, true) {
            @Override
            public String toString() {
                // The log shows the original class, not this anonymous one.
                return getMessage();
            }
        };
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** {@code JedisConnectionException <- ConnectException}: the classes of the failure and its causes. */
    static String describe(Throwable failure) {
        StringBuilder out = new StringBuilder(failure.getClass().getSimpleName());
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            out.append(" <- ").append(cause.getClass().getSimpleName());
        }
        return out.toString();
    }
}
