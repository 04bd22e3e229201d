package dev.sluice.pipelines.logins;

import dev.sluice.pipelines.DefinitionWorker;
import dev.sluice.pipelines.SigkillRestarts;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

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
            h.createTables();
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
            Path config = Files.writeString(logs.resolve("logins.yaml"), h.config);

            SigkillRestarts.run(() -> DefinitionWorker.start(logs, LoginsHarness.environment(), "logins", config),
                    h::rows, h::queueDepth, MESSAGES, 1_000, 2_500, 4_000);

            assertThat(h.rows()).isEqualTo(MESSAGES);
            assertThat(h.errorRows()).isZero();
            assertThat(new HashSet<>(h.query("SELECT user_id FROM user_logins", rs -> rs.getString(1))))
                    .isEqualTo(userIds);
        }
    }
}
