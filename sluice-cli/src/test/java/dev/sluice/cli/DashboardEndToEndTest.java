package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.testing.DashboardPage;
import dev.sluice.server.testing.DashboardPage.PipelineCard;
import dev.sluice.server.testing.DashboardPage.RejectRow;
import dev.sluice.server.testing.TestChromium;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium, served by the server {@code run} and {@code demo} start ({@link ReadApi}),
 * over the logins pipeline running on the embedded stack: what an operator sees while a generator sends logins, after
 * a malformed one, and with a wrong token.
 */
class DashboardEndToEndTest {

    private static final Duration PAGE = Duration.ofSeconds(30);
    /** A fixture login whose user id is a number: the schema rejects it, and the reason names the field only. */
    private static final String MALFORMED = "{\"user_id\": 424242, \"app_version\": \"2.3.0\", \"device_type\": "
            + "\"android\", \"ip\": \"199.172.111.135\", \"locale\": \"RU\", \"device_id\": \"593-47-5928\"}";

    @Test
    @SuppressWarnings("try") // the credentials resource only has to stay open while the pipeline runs
    void theDashboardFollowsTheLoginsPipelineShowsItsRejectsAndRefusesAWrongToken(@TempDir Path dir)
            throws Exception {
        Path keysetFile = LoopbackApi.newKeyset(dir);
        ApiToken token = ApiToken.generate();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReadApi api = LoopbackApi.create();

        try (TestChromium browser = TestChromium.start(); // first: without Chromium nothing else needs to start
             EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(dir.resolve("stack"))
                     .queue(ConfigSource.LOGINS_QUEUE, 5).start()) {
            Map<String, String> env = new HashMap<>(stack.environment());
            env.put(Keyset.ENV_KEYSET_FILE, keysetFile.toString());
            ConfigSource.Loaded config = ConfigSource.read(null, env);

            try (var credentials = SdkCredentialProperties.set(env.get("AWS_ACCESS_KEY_ID"),
                         env.get("AWS_SECRET_ACCESS_KEY"));
                 RunningPipelines running = RunningPipelines.start(config, List.of("logins"), env, registry);
                 ApiServer server = api.start(running, registry, token);
                 SqsClient sqs = stack.sqs().newClient()) {
                String queueUrl = sqs.getQueueUrl(b -> b.queueName(ConfigSource.LOGINS_QUEUE)).queueUrl();
                DashboardPage page = new DashboardPage(browser.driver(), server.url()).open();

                assertThat(page.loginShown()).isTrue();
                page.signIn(token.value());
                await().atMost(PAGE).untilAsserted(() -> {
                    PipelineCard logins = page.card("logins");
                    assertThat(logins.state()).isEqualToIgnoringCase("running");
                    assertThat(logins.source()).isEqualTo(ConfigSource.LOGINS_QUEUE);
                    assertThat(logins.count("count-received")).isZero();
                });
                assertThat(page.panels()).as("logins has no routes, so no panel").isEmpty();

                // A generator sends 40 logins a second for 8 s; the page's numbers follow while it runs.
                List<Long> writtenSeen = new ArrayList<>();
                EventSender sender = EventSender.logins(sqs, queueUrl, 7, 0, 0);
                try (ExecutorService generator = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<?> sending = generator.submit(() -> {
                        sender.send(320, new Rate(40), null);
                        return null;
                    });
                    while (!sending.isDone()) {
                        long written = page.card("logins").count("count-written");
                        if (writtenSeen.isEmpty() || writtenSeen.getLast() != written) {
                            writtenSeen.add(written);
                        }
                        Thread.sleep(500);
                    }
                    sending.get();
                }
                assertThat(writtenSeen).as("written counts shown while the generator ran")
                        .hasSizeGreaterThanOrEqualTo(3).isSorted();
                await().atMost(PAGE).untilAsserted(() -> {
                    PipelineCard logins = page.card("logins");
                    assertThat(logins.count("count-received")).isEqualTo(320);
                    assertThat(logins.count("count-written")).isEqualTo(320);
                    assertThat(logins.count("count-rejected")).isZero();
                    assertThat(logins.rejects()).isEmpty();
                    assertThat(logins.points()).isPositive();
                });

                SqsBatchSender.send(sqs, queueUrl, List.of(MALFORMED));
                await().atMost(PAGE).untilAsserted(() -> {
                    PipelineCard logins = page.card("logins");
                    assertThat(logins.count("count-rejected")).isEqualTo(1);
                    assertThat(logins.rejects()).singleElement().satisfies(row -> {
                        assertThat(row.reason()).isEqualTo("user_id: expected a string, got a number");
                        assertThat(row.source()).startsWith("sqs:" + ConfigSource.LOGINS_QUEUE + "/");
                        assertThat(row.time()).isNotBlank();
                    });
                });
                assertThat(page.card("logins").rejects()).extracting(RejectRow::toString)
                        .allSatisfy(row -> assertThat(row).doesNotContain("424242", "199.172.111.135"));
                browser.screenshot(Path.of("target", "screenshots", "dashboard-logins.png"));

                page.signOut();
                page.signIn(token.value() + "-not-it");
                await().atMost(PAGE).untilAsserted(() -> {
                    assertThat(page.loginShown()).isTrue();
                    assertThat(page.loginMessage()).contains("refused");
                });
                assertThat(page.dashboardShown()).isFalse();
            }
        }
    }
}
