package dev.sluice.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson3;
import io.javalin.router.EndpointNotFound;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP server of Sluice's read API, assembled from parts: a bearer {@link ApiToken}, a
 * {@link PrometheusMeterRegistry}, named {@link ReadinessCheck}s and groups of {@link ApiRoutes} (one per pipeline,
 * one for the dashboard), so a new group never changes this class.
 *
 * <pre>{@code
 * ApiToken token = ApiToken.fromEnvironment(System.getenv());
 * if (token.generated()) {
 *     System.out.println("API token: " + token.value()); // once, for the user; never logged
 * }
 * try (AssembledPipeline sessions = assembler.assemble("sessions", definitions.definition("sessions"));
 *      ApiServer server = ApiServer.builder()
 *              .host("0.0.0.0").port(8080)
 *              .token(token)
 *              .metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
 *              .readinessCheck("queue", queue::ping) // a check of your own
 *              .routes(new PluginRoutes(sessions.routes()))
 *              .start()) {
 *     // curl -H "Authorization: Bearer $SLUICE_API_TOKEN" http://localhost:8080/api/sessions
 *     // Prometheus scrape config: authorization: { credentials: <the token> }, metrics_path: /metrics
 * } // closes the server, then the pipeline (and its routes' refresher)
 * }</pre>
 *
 * <p>What every server serves, whatever its groups:
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP"}} while the process serves (liveness); no token.</li>
 *   <li>{@code GET /ready}: 200 when every readiness check passes (the builder's and each group's), else 503 naming
 *       the failing checks and their exception classes, never messages or data; no token, as probes carry none.
 *       The checks run at most once per {@link Builder#readinessMaxAge} (1 s), however many requests come.</li>
 *   <li>{@code GET /metrics}: the registry in Prometheus text format, with request timings by route
 *       ({@code http_server_requests_seconds}); requires the token, because every endpoint that serves data does
 *       (Prometheus sends it with {@code authorization: credentials}).</li>
 *   <li>Every path under {@code /api/} requires {@code Authorization: Bearer <token>}, known path or not, so
 *       unauthenticated callers cannot probe which paths exist: 401 with {@code WWW-Authenticate: Bearer} and a
 *       JSON error otherwise.</li>
 *   <li>An unknown path is 404 {@code {"error":"not found"}} (the path is not echoed: it may hold a user id); an
 *       exception no group handles is 500 {@code {"error":"internal error"}}, logged with classes and stack frames
 *       but without messages, which may carry data. Tokens and request bodies are never logged.</li>
 * </ul>
 *
 * <p>Requests run on Jetty's pool of platform threads (Javalin's default, up to 250).
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin javalin;
    private final String host;
    private final List<ApiRoutes> groups;

    private ApiServer(Javalin javalin, String host, List<ApiRoutes> groups) {
        this.javalin = javalin;
        this.host = host;
        this.groups = groups;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on; the one picked when it was built with port 0. */
    public int port() {
        return javalin.port();
    }

    /**
     * {@code http://host:port} without a trailing slash; loopback when the server listens on every interface, so the
     * URL works from this machine.
     */
    public String url() {
        String shown = switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
        return "http://" + shown + ":" + port();
    }

    /** Stops serving, then closes the route groups; closing twice is harmless. */
    @Override
    public void close() {
        try {
            javalin.stop();
        } finally {
            for (ApiRoutes group : groups) {
                try {
                    group.close();
                } catch (RuntimeException e) {
                    // One group failing to stop must not keep the others running.
                    log.warn("closing {} failed", group.getClass().getSimpleName(), Redacted.copy(e));
                }
            }
        }
    }

    /** Parts of a server; {@link #token} is required, everything else has a default. */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port;
        private ApiToken token;
        private PrometheusMeterRegistry metrics;
        private final Map<String, ReadinessCheck> readinessChecks = new LinkedHashMap<>();
        private Duration readinessMaxAge = Readiness.DEFAULT_MAX_AGE;
        private final List<ApiRoutes> routes = new ArrayList<>();

        private Builder() {
        }

        /** The address to listen on; 127.0.0.1 by default, so nothing is exposed unless asked. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one, see {@link ApiServer#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        public Builder token(ApiToken token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** The registry {@code GET /metrics} shows; a fresh one when not given. */
        public Builder metrics(PrometheusMeterRegistry metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** A check for {@code GET /ready}; names must be unique across the builder's and the groups' checks. */
        public Builder readinessCheck(String name, ReadinessCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
            if (readinessChecks.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException("a readiness check named '" + name + "' is already there");
            }
            return this;
        }

        /**
         * How long one run of the readiness checks answers {@code GET /ready} (default 1 s): the route needs no
         * token, so its request rate must not set the rate of calls to Redis, Postgres or SQS.
         */
        public Builder readinessMaxAge(Duration maxAge) {
            this.readinessMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /** A group of routes, with its readiness checks and meters; the server closes it when it is closed. */
        public Builder routes(ApiRoutes group) {
            routes.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * Builds the server and starts listening.
         *
         * @throws io.javalin.util.JavalinBindException when the port is taken
         */
        public ApiServer start() {
            Objects.requireNonNull(token, "token is required: ApiToken.fromEnvironment(System.getenv())");
            PrometheusMeterRegistry registry = metrics != null
                    ? metrics : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Map<String, ReadinessCheck> checks = new LinkedHashMap<>(readinessChecks);
            for (ApiRoutes group : routes) {
                group.readinessChecks().forEach((name, check) -> {
                    if (checks.putIfAbsent(name, check) != null) {
                        throw new IllegalArgumentException("two readiness checks are named '" + name + "'");
                    }
                });
                group.bindTo(registry);
            }
            Javalin javalin = Javalin.create(config -> configure(config, registry, checks));
            javalin.start(host, port);
            return new ApiServer(javalin, host, List.copyOf(routes));
        }

        private void configure(JavalinConfig config, PrometheusMeterRegistry registry,
                               Map<String, ReadinessCheck> checks) {
            config.jsonMapper(new JavalinJackson3());
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.requestLogger.http(new RequestMetrics(registry));

            BearerAuth auth = new BearerAuth(token);
            config.routes.before("/api/*", auth);
            config.routes.before("/metrics", auth);

            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
            config.routes.get("/ready", new Readiness(checks, readinessMaxAge));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
            for (ApiRoutes group : routes) {
                group.addRoutes(config.routes);
            }

            config.routes.exception(EndpointNotFound.class, (e, ctx) ->
                    ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "not found")));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                HttpStatus status = HttpStatus.forStatus(e.getStatus());
                ctx.status(status).json(Map.of("error", status.getMessage().toLowerCase(Locale.ROOT)));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                // The route, not the path: the path may hold a user id.
                var endpoint = ctx.endpoints().matchedHttpEndpoint();
                log.error("{} {} failed", ctx.method().name(), endpoint == null ? "(no route)" : endpoint.path,
                        Redacted.copy(e));
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "internal error"));
            });
        }
    }
}
