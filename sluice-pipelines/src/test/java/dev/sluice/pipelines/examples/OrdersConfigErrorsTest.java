package dev.sluice.pipelines.examples;

import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What docs/pipelines.md says is checked before anything starts, on the orders example with one mistake written over
 * it (as a user's own file would add it): each error names the file, the line and the key, and nothing is created.
 */
class OrdersConfigErrorsTest {
    private static TestDatabase database;
    private static OrdersHarness harness;

    @BeforeAll
    static void servers() {
        database = TestDatabases.embedded();
        harness = new OrdersHarness(database);
    }

    @AfterAll
    static void close() throws Exception {
        harness.close();
        database.close();
    }

    /** The example with the harness's overrides and then {@code mistake} (file test-3.yaml) merged over it. */
    private static DefinedPipelines withMistake(String mistake) {
        return DefinedPipelines.of(harness.environment, OrdersHarness.example(), harness.overrides, mistake);
    }

    private static void assertNothingCreated() {
        assertThat(harness.count("SELECT count(*) FROM pg_tables WHERE tablename IN ('orders', 'orders_errors')"))
                .isZero();
    }

    @Test
    void aMisspelledSettingNamesItsFileLineAndKey() {
        assertThatThrownBy(() -> withMistake("""
                pipelines:
                  orders:
                    processors:
                      - id: validate
                        fields:
                          order_id: {maxLenght: 64}
                """)).hasMessageStartingWith("test-3.yaml:6:")
                .hasMessageContaining("unknown key 'maxLenght' under pipelines.orders.processors[1].fields.order_id");
    }

    @Test
    void aSecondPipelineOnTheOrdersQueueIsRefused() {
        assertThatThrownBy(() -> withMistake("""
                pipelines:
                  orders_audit:
                    source: {type: sqs, queue: %s}
                    sink: {type: postgres_table, table: orders_audit, columns: {body: $key}}
                    errors: {type: postgres_errors, table: orders_audit_errors}
                """.formatted(harness.queue))).hasMessageStartingWith("test-3.yaml:3:")
                .hasMessageContaining("pipelines.orders_audit.source: pipelines orders and orders_audit both read SQS"
                        + " queue " + harness.queue + "; each message would reach only one of them");
    }

    @Test
    void aColumnFilledFromAFieldTheSchemaDoesNotDeclareStopsTheStartAtItsKey() {
        try (DefinedPipelines defined = withMistake("""
                pipelines:
                  orders:
                    sink:
                      columns: {shipping_address: address}
                """)) {
            assertThatThrownBy(() -> defined.assemble("orders", UnaryOperator.identity()))
                    .hasMessageStartingWith("test-3.yaml:4:")
                    .hasMessageContaining("pipelines.orders.sink.columns.shipping_address: no field 'address' reaches"
                            + " this point");
        }
        assertNothingCreated();
    }

    @Test
    void maskingAFieldTheSchemaDoesNotDeclareStopsTheStartAtItsKey() {
        try (DefinedPipelines defined = withMistake("""
                pipelines:
                  orders:
                    processors:
                      - id: mask
                        fields: {phone: hmac}
                """)) {
            assertThatThrownBy(() -> defined.assemble("orders", UnaryOperator.identity()))
                    .hasMessageStartingWith("test-3.yaml:5:")
                    .hasMessageContaining("pipelines.orders.processors[2].fields.phone: no field 'phone' reaches this"
                            + " point");
        }
        assertNothingCreated();
    }
}
