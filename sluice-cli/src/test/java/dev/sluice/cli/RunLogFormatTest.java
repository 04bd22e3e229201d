package dev.sluice.cli;

import dev.sluice.core.engine.PipelineLog;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice run} in its own JVM with the production logging configuration: every stderr line is one JSON
 * object, and the line about a rejected message names its pipeline and source coordinates as fields;
 * {@code SLUICE_LOG_FORMAT=text} brings the readable lines back.
 */
class RunLogFormatTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STOP = Duration.ofSeconds(60);

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static EmbeddedSqs sqs;
    private static TestDatabase db;
    private static Path keyset;

    @BeforeAll
    static void start() {
        sqs = EmbeddedSqs.start();
        db = TestDatabases.embedded();
        keyset = shared.resolve("keyset.json");
        Keyset.generate().writeTo(keyset);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        sqs.close();
    }

    /** A fresh queue and the config that runs logins on it. */
    private Path config(String queue) {
        sqs.createQueueWithDeadLetterQueue(queue, 5);
        return TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(), db.jdbcUrl(), queue, keyset);
    }

    @Test
    void runLogsOneJsonObjectPerLineAndTheRejectCarriesThePipelineAndTheSourceCoordinates() throws Exception {
        String queue = "logins-" + UUID.randomUUID();
        Path config = config(queue);
        String messageId;
        try (var client = sqs.newClient()) {
            String url = client.getQueueUrl(r -> r.queueName(queue)).queueUrl();
            messageId = client.sendMessage(r -> r.queueUrl(url).messageBody("{\"foo\": \"oops_wrong_msg_type\"}"))
                    .messageId();
        }
        String source = "sqs:" + queue + "/" + messageId + "#1";

        try (SluiceProcess run = SluiceProcess.start(dir, "run", Map.of(), "run", "--config", config.toString(),
                "logins", "--port", "0")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> run.err().contains(source) || !run.isAlive());
            assertThat(run.interruptAndWait(STOP)).as("Ctrl-C stops run").isTrue();
            assertThat(run.exitValue()).as("stderr:%n%s", run.err()).isIn(0, 130);

            List<JsonNode> lines = run.err().lines().map(JSON::readTree).toList();
            assertThat(lines).as("stderr:%n%s", run.err()).isNotEmpty().allSatisfy(line -> {
                assertThat(line.isObject()).isTrue();
                assertThat(line.propertyNames()).contains("@timestamp", "level", "logger_name", "thread_name",
                        "message");
            });
            assertThat(lines).filteredOn(line -> line.path("message").stringValue("").contains("rejected " + source))
                    .singleElement().satisfies(line -> {
                        assertThat(line.get(PipelineLog.PIPELINE).stringValue()).isEqualTo("logins");
                        assertThat(line.get(PipelineLog.SOURCE).stringValue()).isEqualTo(source);
                        assertThat(line.get("logger_name").stringValue()).isEqualTo(Runner.class.getName());
                        assertThat(line.get("level").stringValue()).isEqualTo("INFO");
                        assertThat(line.get("message").stringValue()).contains("user_id: required field is missing");
                    });
            assertThat(lines).filteredOn(line -> line.path("message").stringValue("").startsWith("pipeline logins "))
                    .as("started and stopped").hasSize(2)
                    .allSatisfy(line -> assertThat(line.get(PipelineLog.PIPELINE).stringValue()).isEqualTo("logins"));
            assertThat(run.out()).as("stdout stays readable command output").startsWith("running logins");
        }
    }

    @Test
    void sluiceLogFormatTextSwitchesRunBackToReadableLines() throws Exception {
        Path config = config("logins-" + UUID.randomUUID());

        try (SluiceProcess run = SluiceProcess.start(dir, "run", Map.of(LogFormat.ENVIRONMENT_VARIABLE, "text"),
                "run", "--config", config.toString(), "logins", "--port", "0")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> run.err().contains("pipeline logins started")
                    || !run.isAlive());
            assertThat(run.interruptAndWait(STOP)).as("Ctrl-C stops run").isTrue();
            assertThat(run.exitValue()).as("stderr:%n%s", run.err()).isIn(0, 130);

            assertThat(run.err().lines()).as("stderr").isNotEmpty()
                    .allMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ +\\w+ - .*"))
                    .anyMatch(line -> line.matches(".* INFO  Runner - pipeline logins started on .*"));
        }
    }
}
