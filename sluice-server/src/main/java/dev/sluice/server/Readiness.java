package dev.sluice.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code GET /ready}: runs every named check and answers 200 when all pass, 503 otherwise, with each check's
 * result: {@code {"status":"DOWN","checks":{"redis":{"status":"DOWN","error":"JedisConnectionException"}}}}. A
 * failure shows the exception's class only: probes are unauthenticated, so the body must not carry messages that
 * could name hosts or data.
 *
 * <p>The checks run at most once per {@code maxAge} (default 1 s), whatever the request rate: the route needs no
 * token, and each check takes a pooled connection or makes a call to AWS, so a flood of requests must not become
 * a flood of probes. Requests arriving while a probe runs answer with the previous result; only the very first
 * request waits for one.
 */
final class Readiness implements Handler {

    static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    private final Map<String, ReadinessCheck> checks;
    private final long maxAgeNanos;
    private final ReentrantLock probing = new ReentrantLock();
    private volatile Result last;

    private record Result(boolean ready, Map<String, Object> body, long atNanos) {
    }

    /**
     * @param checks by name, in the order the response lists them
     * @param maxAge how long one probe's result answers requests; zero probes on every request
     */
    Readiness(Map<String, ReadinessCheck> checks, Duration maxAge) {
        this.checks = new LinkedHashMap<>(checks);
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("readiness maxAge must be zero or more, got " + maxAge);
        }
        this.maxAgeNanos = maxAge.toNanos();
    }

    @Override
    public void handle(Context ctx) {
        Result result = current();
        ctx.status(result.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(result.body());
    }

    private Result current() {
        Result cached = last;
        if (cached != null && System.nanoTime() - cached.atNanos() < maxAgeNanos) {
            return cached;
        }
        if (cached != null && !probing.tryLock()) {
            return cached; // another request is probing: its result is at most one probe away
        }
        if (cached == null) {
            probing.lock();
        }
        try {
            Result latest = last;
            if (latest != null && latest != cached && System.nanoTime() - latest.atNanos() < maxAgeNanos) {
                return latest; // probed while this request waited
            }
            Result fresh = probe();
            last = fresh;
            return fresh;
        } finally {
            probing.unlock();
        }
    }

    private Result probe() {
        long started = System.nanoTime();
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
        return new Result(ready, body, started);
    }
}
