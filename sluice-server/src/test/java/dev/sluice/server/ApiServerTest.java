package dev.sluice.server;

import dev.sluice.server.testing.ApiClient;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The parts every server has, whatever its route groups: probes, metrics, the token, errors. */
class ApiServerTest {

    /** Stands for data a response or a log line must never show. */
    private static final String SECRET = "user_4242";

    private final ApiToken token = ApiToken.generate();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean dependencyUp = new AtomicBoolean(true);
    private final AtomicBoolean groupClosed = new AtomicBoolean();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private ApiServer server;
    private ApiClient client;

    /** A group as a pipeline would write one: a data route, a route that fails, a readiness check, a meter. */
    private final ApiRoutes group = new ApiRoutes() {
        @Override
        public void addRoutes(RoutesConfig routes) {
            routes.get("/api/things", ctx -> ctx.json(Map.of("things", 3)));
            routes.get("/api/broken", ctx -> {
                throw new IllegalStateException("cannot parse " + SECRET, new NumberFormatException(SECRET));
            });
        }

        @Override
        public Map<String, ReadinessCheck> readinessChecks() {
            return Map.of("dependency", () -> {
                if (!dependencyUp.get()) {
                    throw new IllegalStateException("cannot reach " + SECRET);
                }
            });
        }

        @Override
        public void bindTo(MeterRegistry registry) {
            registry.counter("things.counted").increment();
        }

        @Override
        public void close() {
            groupClosed.set(true);
        }
    };

    @BeforeEach
    void start() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(ApiServer.class)).addAppender(logs);
        server = ApiServer.builder()
                .token(token)
                .metrics(registry)
                .readinessCheck("always", () -> { })
                .routes(group)
                .start();
        client = new ApiClient(server, token);
    }

    @AfterEach
    void stop() {
        server.close();
        ((Logger) LoggerFactory.getLogger(ApiServer.class)).detachAppender(logs);
    }

    @Test
    void listensOnAFreeLoopbackPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void healthIsUpWithoutAToken() {
        HttpResponse<String> health = client.get("/health", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void readyNamesTheFailingCheckAndItsExceptionClassButNoMessage() {
        HttpResponse<String> ready = client.get("/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"always\":{\"status\":\"UP\"},"
                + "\"dependency\":{\"status\":\"UP\"}}}");

        dependencyUp.set(false);
        // The next probe (within a second: results are cached that long) sees the dependency down.
        HttpResponse<String> notReady = await().atMost(Duration.ofSeconds(10))
                .until(() -> client.get("/ready", null), response -> response.statusCode() == 503);

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"always\":{\"status\":\"UP\"},"
                + "\"dependency\":{\"status\":\"DOWN\",\"error\":\"IllegalStateException\"}}}");
        assertThat(notReady.body()).doesNotContain(SECRET);
    }

    @Test
    void aFloodOfReadyRequestsProbesOncePerMaxAge() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        try (ApiServer probed = ApiServer.builder().token(token)
                .readinessCheck("counted", probes::incrementAndGet)
                .readinessMaxAge(Duration.ofMinutes(10))
                .start()) {
            ApiClient anonymous = new ApiClient(probed, token);
            List<Callable<Integer>> requests = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                requests.add(() -> anonymous.get("/ready", null).statusCode());
            }
            try (ExecutorService clients = Executors.newFixedThreadPool(20)) {
                for (Future<Integer> status : clients.invokeAll(requests)) {
                    assertThat(status.get()).isEqualTo(200);
                }
            }

            assertThat(probes).as("probes for 100 requests, 20 at a time, within one max age").hasValue(1);
        }
    }

    @Test
    void everythingUnderApiNeedsTheBearerToken() {
        for (String path : new String[]{"/api/things", "/api/things/", "/api/no-such-thing", "/api/"}) {
            HttpResponse<String> missing = client.get(path, null);
            HttpResponse<String> wrong = client.get(path, "Bearer " + token.value() + "x");
            HttpResponse<String> noScheme = client.get(path, token.value());
            HttpResponse<String> basic = client.get(path, "Basic " + token.value());

            for (HttpResponse<String> rejected : java.util.List.of(missing, wrong, noScheme, basic)) {
                assertThat(rejected.statusCode()).as(path).isEqualTo(401);
                assertThat(rejected.headers().firstValue("WWW-Authenticate")).as(path)
                        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
                assertThat(rejected.body()).as(path).startsWith("{\"error\":");
                assertThat(rejected.body()).as(path).doesNotContain(token.value());
            }
        }

        HttpResponse<String> allowed = client.get("/api/things");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("{\"things\":3}");
        assertThat(client.get("/api/things", "bearer " + token.value()).statusCode())
                .as("the scheme is case-insensitive (RFC 7235)").isEqualTo(200);
    }

    @Test
    void metricsNeedTheTokenAndShowRequestTimingsByRouteAndTheGroupsMeters() {
        client.get("/api/things");

        assertThat(client.get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(client.get("/metrics/", null).statusCode()).isEqualTo(401);
        assertThat(client.get("/metrics", "Bearer wrong-token-but-long-enough").statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = client.get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("things_counted_total 1.0")
                .containsPattern("http_server_requests_seconds_count\\{method=\"GET\",status=\"200\","
                        + "uri=\"/api/things\"} 1");
    }

    @Test
    void anUnknownPathIs404JsonWithoutThePath() {
        HttpResponse<String> unknown = client.get("/no/such/" + SECRET, null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"not found\"}");
    }

    @Test
    void anUnhandledExceptionIs500JsonAndIsLoggedWithoutItsMessages() {
        HttpResponse<String> broken = client.get("/api/broken");

        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).isEqualTo("{\"error\":\"internal error\"}");
        assertThat(logs.list).hasSize(1);
        ILoggingEvent logged = logs.list.getFirst();
        String stackTrace = ThrowableProxyUtil.asString(logged.getThrowableProxy());
        assertThat(logged.getFormattedMessage()).isEqualTo("GET /api/broken failed");
        assertThat(stackTrace)
                .contains("java.lang.IllegalStateException", "java.lang.NumberFormatException",
                        "ApiServerTest")
                .doesNotContain(SECRET);
    }

    @Test
    void readinessCheckNamesAreUnique() {
        ApiServer.Builder builder = ApiServer.builder().token(token).readinessCheck("dependency", () -> { });

        assertThatThrownBy(() -> builder.readinessCheck("dependency", () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dependency'");
        assertThatThrownBy(() -> builder.routes(group).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dependency'");
    }

    @Test
    void aClosedServerNoLongerAnswersAndHasClosedItsGroups() {
        server.close();
        server.close();

        assertThatThrownBy(() -> client.get("/health", null)).isInstanceOf(UncheckedIOException.class);
        assertThat(groupClosed).isTrue();
    }
}
