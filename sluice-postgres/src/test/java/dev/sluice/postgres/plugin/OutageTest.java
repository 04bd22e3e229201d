package dev.sluice.postgres.plugin;

import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.postgres.testing.RestartablePostgres;
import dev.sluice.postgres.testing.Sql;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Postgres stops under a running postgres_table pipeline and comes back: every message is a row, once. */
class OutageTest {

    @TempDir
    Path dataDirectory;

    @AfterEach
    void forget() {
        TestPlugins.forget();
    }

    @Test
    void messagesSentWhilePostgresIsDownAreWrittenWhenItIsBack() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start(dataDirectory);
             Pipelines pipelines = new Pipelines("""
                     postgres:
                       url: "%s"
                       connectTimeout: 1s
                     pipelines:
                       orders:
                         source: {type: memory, queue: orders}
                         processors:
                           - {type: json_fields, fields: {order_id: {type: string, maxLength: 64}}}
                         sink: {type: postgres_table, table: orders, columns: {order_id: order_id}}
                         errors: {type: postgres_errors, table: orders_errors}
                         runner: {backoff: {initial: 100ms, max: 1s}}
                     """.formatted(postgres.jdbcUrl()));
             AssembledPipeline orders = pipelines.start("orders")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("orders");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(queue.send("{\"order_id\": \"before-" + i + "\"}"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);

            postgres.stop();
            for (int i = 0; i < 20; i++) {
                sent.add(queue.send("{\"order_id\": \"during-" + i + "\"}"));
            }
            await("a write failed and is retried").atMost(Duration.ofSeconds(60))
                    .until(() -> retries(pipelines) > 0);
            postgres.start();

            await().atMost(Duration.ofSeconds(90)).until(() -> queue.remaining() == 0);
            assertThat(naturalKeys(postgres)).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(Sql.rows(postgres.jdbcUrl(), "SELECT count(*)::text FROM orders_errors")).containsExactly("0");
        }
    }

    private static double retries(Pipelines pipelines) {
        return pipelines.resources().registry().find("sluice.retries").tag("pipeline", "orders").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static List<String> naturalKeys(RestartablePostgres postgres) throws SQLException {
        return Sql.rows(postgres.jdbcUrl(), "SELECT natural_key FROM orders");
    }
}
