package dev.sluice.pipelines.logins;

import dev.sluice.pipelines.DefinitionWorker;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once under SIGKILL: a worker JVM running the logins pipeline is killed with SIGKILL several times while
 * it writes, and restarted; at the end every message is a row exactly once.
 */
class LoginsCrashTest {
    private static final int MESSAGES = 6_000;

    @TempDir
    Path logs;

    @Test
    void aWorkerKilledSeveralTimesMidRunEndsWithExactlyTheExpectedRows() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             LoginsHarness h = new LoginsHarness(database.settings())) {
            h.migrate();
            List<String> bodies = new ArrayList<>();
            Set<String> userIds = new HashSet<>();
            for (int i = 0; i < MESSAGES; i++) {
                String userId = "crash-" + i;
                userIds.add(userId);
                bodies.add("{\"user_id\": \"" + userId + "\", \"app_version\": \"1." + (i % 1000) + "\", "
                        + "\"device_type\": \"android\", \"ip\": \"10.1." + (i / 256 % 256) + "." + (i % 256)
                        + "\", \"locale\": null, \"device_id\": \"dev-" + i + "\"}");
            }
            h.send(bodies);

            for (long killAt : new long[]{1_000, 2_500, 4_000}) {
                Process worker = startWorker(h, database);
                try {
                    await().atMost(Duration.ofSeconds(90)).until(() -> h.rows() >= killAt);
                } finally {
                    worker.destroyForcibly();
                }
                assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(worker.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                assertThat(h.rows()).as("killed mid-run").isLessThan(MESSAGES);
            }

            Process last = startWorker(h, database);
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> h.rows() >= MESSAGES && h.queueDepth() == 0);
                last.destroy();
                assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                // A worker that did not finish or stop must not outlive the test.
                last.destroyForcibly();
            }
            assertThat(last.exitValue()).as("SIGTERM stops gracefully").isIn(0, 143);

            assertThat(h.rows()).isEqualTo(MESSAGES);
            assertThat(h.errorRows()).isZero();
            assertThat(new HashSet<>(h.query("SELECT user_id FROM user_logins", rs -> rs.getString(1))))
                    .isEqualTo(userIds);
        }
    }

    private Process startWorker(LoginsHarness h, TestDatabase database) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path config = Files.writeString(logs.resolve("logins.yaml"), h.config);
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                DefinitionWorker.class.getName(), config.toString(), "logins");
        pb.environment().putAll(LoginsHarness.environment());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("worker.log").toFile()));
        return pb.start();
    }
}
