package dev.sluice.server;

/**
 * One thing the server needs before it can serve data, e.g. "Redis answers {@code PING}". {@code GET /ready} runs
 * every check at most once a second, whatever the request rate, and answers 200 only when none threw.
 */
@FunctionalInterface
public interface ReadinessCheck {

    /**
     * Returns normally when ready. Throws when not; only the exception's class reaches the response, so its message
     * may say anything.
     */
    void check() throws Exception;
}
