package dev.sluice.pipelines.logins;

import dev.sluice.core.engine.Runner;
import dev.sluice.core.pipeline.Event;
import dev.sluice.postgres.testing.RestartablePostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Postgres stopped in the middle of a run and started again: nothing lost, nothing doubled. */
class LoginsPostgresOutageTest {
    private static final int MESSAGES = 2_000;

    @TempDir
    Path data;

    @Test
    void postgresStoppedMidRunAndRestartedLosesAndDoublesNothing() throws Exception {
        try (RestartablePostgres pg = RestartablePostgres.start(data);
             LoginsHarness h = new LoginsHarness(pg.settings())) {
            Runner<Event> runner = h.start();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                bodies.add("{\"user_id\": \"outage-" + i + "\", \"app_version\": \"3.1\", \"device_type\": \"ios\", "
                        + "\"ip\": \"192.168.0." + (i % 256) + "\", \"locale\": \"FR\", \"device_id\": \"d" + i + "\"}");
            }
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < MESSAGES; i += 100) {
                    h.send(bodies.subList(i, i + 100));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            await().until(() -> h.rows() >= 300);

            pg.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.metrics().retriedCount() >= 3);
            assertThat(runner.inFlight()).as("messages wait, claimed, while Postgres is down").isPositive();
            pg.start();

            sender.join();
            h.awaitHandled(MESSAGES);
            assertThat(h.rows()).isEqualTo(MESSAGES);
            assertThat(h.errorRows()).isZero();
            assertThat(new HashSet<>(h.query("SELECT user_id FROM user_logins", rs -> rs.getString(1))))
                    .hasSize(MESSAGES);
        }
    }
}
