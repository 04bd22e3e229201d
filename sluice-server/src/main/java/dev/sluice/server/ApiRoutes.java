package dev.sluice.server;

import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;

/**
 * A group of routes the {@link ApiServer} serves, e.g. {@link PluginRoutes} or {@link DashboardRoutes}: each pipeline
 * and the dashboard bring their own group, so adding one never changes the server.
 *
 * <p>The server owns the groups it is given: it closes them when it is closed.
 *
 * <p>The server requires the bearer token for every path under {@code /api/}; a group that serves data must put
 * its routes there. Paths elsewhere are public.
 */
public interface ApiRoutes extends AutoCloseable {

    /** Declares this group's routes (and any exception handlers of its own) on the server's configuration. */
    void addRoutes(RoutesConfig routes);

    /** What {@code GET /ready} must check for this group to serve, by name; none by default. */
    default Map<String, ReadinessCheck> readinessChecks() {
        return Map.of();
    }

    /** Registers this group's own meters, shown on {@code GET /metrics}; none by default. */
    default void bindTo(MeterRegistry registry) {
    }

    /**
     * Stops what the group runs (e.g. a background refresher); the server calls it from its own {@code close()},
     * after it stopped serving. Nothing by default.
     */
    @Override
    default void close() {
    }
}
