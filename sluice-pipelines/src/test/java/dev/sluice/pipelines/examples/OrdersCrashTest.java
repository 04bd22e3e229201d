package dev.sluice.pipelines.examples;

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
 * Exactly-once under SIGKILL for a pipeline a user wrote: a worker JVM running orders from docs/examples/orders.yaml
 * (what {@code sluice run --config docs/examples/orders.yaml orders} runs) is killed with SIGKILL three times while
 * it writes, and restarted; at the end every order is a row exactly once and the queue is empty.
 */
class OrdersCrashTest {
    private static final int ORDERS = 6_000;

    @TempDir
    Path logs;

    @Test
    void aWorkerKilledThreeTimesMidRunEndsWithEveryOrderExactlyOnce() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             OrdersHarness h = new OrdersHarness(database)) {
            h.createTables();
            List<String> bodies = new ArrayList<>();
            Set<String> orderIds = new HashSet<>();
            for (int i = 0; i < ORDERS; i++) {
                String orderId = "crash-" + i;
                orderIds.add(orderId);
                bodies.add("{\"order_id\": \"" + orderId + "\", \"email\": \"buyer-" + i + "@example.com\", "
                        + "\"card_number\": \"4000" + String.format("%012d", i) + "\", \"amount\": " + i + ".99, "
                        + "\"currency\": \"EUR\", \"placed_at\": \"2026-12-07T10:15:00Z\"}");
            }
            h.send(bodies);
            Path overrides = Files.writeString(logs.resolve("overrides.yaml"), h.overrides);

            SigkillRestarts.run(() -> DefinitionWorker.start(logs, h.environment, "orders", OrdersHarness.EXAMPLE,
                    overrides), h::rows, h::queueDepth, ORDERS, 1_000, 2_500, 4_000);

            assertThat(h.rows()).isEqualTo(ORDERS);
            assertThat(h.errorRows()).isZero();
            assertThat(h.queueDepth()).isZero();
            assertThat(new HashSet<>(h.query("SELECT order_id FROM orders", rs -> rs.getString(1))))
                    .isEqualTo(orderIds);
        }
    }
}
