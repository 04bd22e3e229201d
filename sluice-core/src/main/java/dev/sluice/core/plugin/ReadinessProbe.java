package dev.sluice.core.plugin;

/**
 * One thing a pipeline needs to be ready, such as "the queue answers": {@code GET /ready} runs it (cached) and
 * answers 200 only when none threw. Only the exception's class reaches the response.
 */
@FunctionalInterface
public interface ReadinessProbe {
    void check() throws Exception;
}
