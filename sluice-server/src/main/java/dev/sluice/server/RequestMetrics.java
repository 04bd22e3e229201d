package dev.sluice.server;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Times every request into {@code http.server.requests} (Prometheus: {@code http_server_requests_seconds}) by
 * method, route and status. The route is the declared path ({@code /api/sessions/players/{id}}), never the requested
 * one: user ids in a label would be personal data in the metrics and one time series per user. Requests no route
 * answered (unknown paths, rejected tokens) share the route {@code UNMATCHED}.
 */
final class RequestMetrics implements RequestLogger {

    static final String METER = "http.server.requests";
    private static final String UNMATCHED = "UNMATCHED";

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void handle(Context ctx, Float executionMillis) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        Timer.builder(METER)
                .tag("method", ctx.method().name())
                .tag("uri", endpoint == null ? UNMATCHED : endpoint.path)
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record((long) (executionMillis * 1_000_000L), TimeUnit.NANOSECONDS);
    }
}
