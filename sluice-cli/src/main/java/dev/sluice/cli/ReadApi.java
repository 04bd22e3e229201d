package dev.sluice.cli;

import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.DashboardRoutes;
import dev.sluice.server.PanelsApi;
import dev.sluice.server.PluginRoutes;
import dev.sluice.server.StatusApi;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Option;

import java.time.Clock;

/**
 * {@code --host} and {@code --port} of {@code run} and {@code demo}, and the API server they start: the dashboard at
 * {@code /}, health, readiness, Prometheus metrics, the status, the panels and the read API of every running pipeline
 * that has one, behind the bearer token from {@code SLUICE_API_TOKEN} (or a generated one, printed once).
 */
final class ReadApi {
    static final int DEFAULT_PORT = 8080;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DEFAULT_PORT,
            description = "HTTP port of the dashboard, the API, /health, /ready and /metrics; 0 for any free port "
                    + "(default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address the API listens on; 0.0.0.0 for every interface, as in a container "
                    + "(default: ${DEFAULT-VALUE})")
    String host;

    /** Starts the server for {@code running}; the caller closes it before the pipelines. */
    ApiServer start(RunningPipelines running, PrometheusMeterRegistry registry, ApiToken token) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, was " + port);
        }
        ApiServer.Builder server = ApiServer.builder().host(host).port(port).token(token).metrics(registry)
                .routes(new DashboardRoutes())
                .routes(new StatusApi(running::statuses, running::outlines, Clock.systemUTC()))
                .routes(new PanelsApi(running::panels));
        running.readinessChecks().forEach(server::readinessCheck);
        server.routes(new PluginRoutes(running.pluginRoutes()));
        try {
            return server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve the API on " + host + ":" + port
                    + " (another process may use the port; choose one with --port)", e);
        }
    }

    /** What to tell the user about the token: its value only when it was generated here, never one they set. */
    static String describe(ApiToken token) {
        return token.generated()
                ? "API token (generated; set " + ApiToken.ENVIRONMENT_VARIABLE + " to choose one): " + token.value()
                : "API token from " + ApiToken.ENVIRONMENT_VARIABLE;
    }
}
