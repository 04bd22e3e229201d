package dev.sluice.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /ready}: runs every named check and answers 200 when all pass, 503 otherwise, with each check's
 * result: {@code {"status":"DOWN","checks":{"redis":{"status":"DOWN","error":"JedisConnectionException"}}}}. A
 * failure shows the exception's class only: probes are unauthenticated, so the body must not carry messages that
 * could name hosts or data.
 */
final class Readiness implements Handler {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    private final Map<String, ReadinessCheck> checks;

    /** @param checks by name, in the order the response lists them */
    Readiness(Map<String, ReadinessCheck> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    @Override
    public void handle(Context ctx) {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean ready = true;
        for (Map.Entry<String, ReadinessCheck> check : checks.entrySet()) {
            try {
                check.getValue().check();
                results.put(check.getKey(), Map.of("status", "UP"));
            } catch (Exception e) {
                ready = false;
                Map<String, String> down = new LinkedHashMap<>();
                down.put("status", "DOWN");
                down.put("error", e.getClass().getSimpleName());
                results.put(check.getKey(), down);
                log.debug("readiness check {} failed: {}", check.getKey(), Redacted.describe(e));
            }
        }
        // Linked maps: JSON members in a stable order, status first.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("checks", results);
        ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }
}
