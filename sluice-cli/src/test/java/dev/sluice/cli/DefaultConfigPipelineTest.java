package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in default config, fed only the environment {@code sluice local} writes, runs the logins pipeline end
 * to end: the fixture's 100 bodies become 99 rows and 1 reject.
 */
class DefaultConfigPipelineTest {

    @Test
    void theDefaultConfigTakesTheKinesisEndpointFromTheEnvironment() {
        Map<String, String> env = Map.of("SLUICE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/sluice",
                "AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4568");

        assertThat(ConfigSource.load(null, env).aws().endpoints().kinesis())
                .isEqualTo(URI.create("http://127.0.0.1:4568"));
        assertThat(ConfigSource.load(null, Map.of("SLUICE_POSTGRES_URL", env.get("SLUICE_POSTGRES_URL")))
                .aws().endpoints().kinesisOverride()).as("the SDK resolves Kinesis without the variable").isEmpty();
    }

    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the pipeline runs
    void theDefaultConfigFromTheStackEnvironmentRunsLogins(@TempDir Path dir) throws Exception {
        Path fixture = Path.of(System.getProperty("sluice.fixtures"), "logins", "login-queue-bodies.ndjson");
        List<String> bodies = Files.readAllLines(fixture).stream().filter(l -> !l.isBlank()).toList();
        assertThat(bodies).hasSize(100);
        Path keysetFile = dir.resolve("keyset.json");
        Keyset.generate().writeTo(keysetFile);

        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack"))
                .queue(ConfigSource.LOGINS_QUEUE, 5).start()) {
            Map<String, String> env = new HashMap<>(stack.environment());
            env.put(Keyset.ENV_KEYSET_FILE, keysetFile.toString());

            ConfigSource.Loaded loaded = ConfigSource.read(null, env);
            SluiceConfig config = loaded.wired();
            // The built-in config takes region and endpoint from the given environment but leaves credentials to
            // the SDK's default chain (so roles and session tokens work in production); that chain reads the
            // process, not this map, so the stack's dummy credentials go in as the SDK's system properties.
            assertThat(config.aws().hasStaticCredentials()).isFalse();

            assertThat(config.aws().endpoints().sqs()).isEqualTo(stack.sqs().endpoint());
            assertThat(config.postgres().url()).isEqualTo(stack.postgres().jdbcUrl());
            assertThat(loaded.definitions().definition("logins").at("source", "queue").text())
                    .contains(ConfigSource.LOGINS_QUEUE);

            List<String> summary;
            try (var credentials = SdkCredentialProperties.set(env.get("AWS_ACCESS_KEY_ID"),
                    env.get("AWS_SECRET_ACCESS_KEY"))) {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                RunningPipelines running = RunningPipelines.start(loaded, List.of("logins"), env, registry);
                try {
                    send(stack, bodies);
                    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                        assertThat(count(stack, "user_logins")).isEqualTo(99);
                        assertThat(count(stack, "login_errors")).isEqualTo(1);
                        assertThat(running.runners().getFirst().inFlight()).isZero();
                    });
                    assertReadyOnlyWhilePostgresAnswers(stack, running);
                    // The meters operators graph: sink and stage timings, and the queue's backlog.
                    assertThat(registry.get("sluice.sink.write.duration").tag("pipeline", "logins").timer().count())
                            .isPositive();
                    assertThat(registry.get("sluice.stages.duration").tag("pipeline", "logins").timer().count())
                            .isPositive();
                    assertThat(registry.get("sluice.source.backlog").tag("pipeline", "logins")
                            .tag("kind", "dead_letters").gauge().value()).isZero();
                    assertThat(registry.get("sluice.source.backlog").tag("pipeline", "logins")
                            .tag("kind", "visible").gauge().value()).isZero();
                } finally {
                    running.close();
                }
                summary = running.summary();
            }

            assertThat(summary).singleElement().asString()
                    .startsWith("logins: received 100  written 99  rejected 1  in flight 0");
        }
    }

    /** {@code GET /ready} checks every endpoint the running pipeline needs: its database and its queue. */
    private static void assertReadyOnlyWhilePostgresAnswers(EmbeddedStack stack, RunningPipelines running)
            throws Exception {
        ReadApi api = LoopbackApi.create();
        try (ApiServer server = api.start(running, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                ApiToken.generate()); HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest ready = HttpRequest.newBuilder(URI.create(server.url() + "/ready")).build();
            HttpResponse<String> up = http.send(ready, BodyHandlers.ofString());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(up.body()).contains("\"postgres\"", "\"sqs:" + ConfigSource.LOGINS_QUEUE + "\"");

            stack.postgres().stop();
            try {
                // The next probe (results are kept for a second) finds the database down.
                HttpResponse<String> down = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> http.send(ready, BodyHandlers.ofString()), r -> r.statusCode() == 503);
                assertThat(down.body()).containsPattern("\"postgres\":\\{\"status\":\"DOWN\"");
            } finally {
                stack.postgres().start();
            }
        }
    }

    private static void send(EmbeddedStack stack, List<String> bodies) {
        try (SqsClient sqs = stack.sqs().newClient()) {
            String url = sqs.getQueueUrl(b -> b.queueName(ConfigSource.LOGINS_QUEUE)).queueUrl();
            SqsBatchSender.send(sqs, url, bodies);
        }
    }

    private static long count(EmbeddedStack stack, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
