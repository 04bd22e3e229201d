package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.status.StatusBoard;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.QueueUrls;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.StatusApi;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice status} in its own JVM (the token comes from its environment) against a real API server whose
 * status board watches a real pipeline on ElasticMQ.
 */
class StatusCommandTest {
    private static final String TOKEN = "status-test-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void printsEachPipelineWithItsCountsBacklogAndLatestRejects() throws Exception {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); var client = sqs.newClient()) {
            QueueUrls urls = sqs.createQueueWithDeadLetterQueue("orders", 5);
            Runner<String> runner = Runner.<String>builder("orders",
                    SqsSource.connect(client, new SqsSourceSettings("orders", Duration.ofSeconds(1), null, null)),
                    m -> m.body().startsWith("bad") ? Outcome.reject("body: starts with bad") : Outcome.emit(m.body()),
                    deliveries -> { }, rejects -> { }).build();
            runner.start();
            try (StatusBoard board = StatusBoard.start(List.<Runner<?>>of(runner), Clock.systemUTC());
                 ApiServer server = ApiServer.builder().port(0).token(ApiToken.of(TOKEN))
                         .metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                         .routes(new StatusApi(board::snapshot, Clock.systemUTC())).start()) {
                for (String body : List.of("one", "two", "bad three", "four")) {
                    client.sendMessage(r -> r.queueUrl(urls.queueUrl()).messageBody(body));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> runner.metrics().writtenCount() == 3
                        && runner.metrics().rejectedCount() == 1 && runner.inFlight() == 0);

                Result ok = status(server.url(), TOKEN);
                assertThat(ok.exit()).as(ok.output()).isZero();
                assertThat(ok.output().lines().toList()).first().asString().startsWith("PIPELINE").contains("DLQ");
                assertThat(ok.output()).containsPattern("orders +running +orders +4 +3 +1 +0 +0 +0")
                        .containsPattern("orders: rejected sqs:orders/\\S+#1 at \\S+: body: starts with bad");

                Result wrong = status(server.url(), "not-the-token-of-this-instance");
                assertThat(wrong.exit()).isEqualTo(2);
                assertThat(wrong.output().strip())
                        .isEqualTo("sluice: SLUICE_API_TOKEN is not the token of the instance at " + server.url());
            } finally {
                runner.stop();
            }
        }
        Result nobody = status("http://127.0.0.1:" + TestConfigs.closedPort(), TOKEN);
        assertThat(nobody.exit()).isEqualTo(2);
        assertThat(nobody.output()).startsWith("sluice: nothing answers at http://127.0.0.1:");
    }

    private record Result(int exit, String output) {
    }

    private Result status(String url, String token) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), SluiceCommand.class.getName(), "status", "--url", url));
        Path out = Files.createTempFile(dir, "status", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put(ApiToken.ENVIRONMENT_VARIABLE, token);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(out));
    }
}
