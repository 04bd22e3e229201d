package dev.sluice.postgres.plugin;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.postgres.QueueErrorSink;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.Sql;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The postgres_table sink and the postgres_errors error sink, built from YAML like any user's pipeline. */
@OnEachPostgres
class PostgresTableSinkTest {

    @Parameter
    TestDatabase database;

    @BeforeEach
    void dropTables() throws SQLException {
        execute("DROP TABLE IF EXISTS orders, orders_errors, sluice_history_orders, other_rows");
    }

    @AfterEach
    void forget() {
        TestPlugins.forget();
    }

    /** An orders pipeline; {@code %s} is the sink's extra settings, one per line, indented six spaces. */
    private String orders(String sinkSettings, boolean redeliver) {
        return """
                postgres:
                  url: "%s"
                pipelines:
                  orders:
                    source: {type: memory, queue: orders, redeliver: %s}
                    processors:
                      - type: json_fields
                        fields:
                          order_id: {type: string, maxLength: 64}
                          email: {type: string, optional: true}
                          amount: {type: number}
                          quantity: {type: integer}
                          paid: {type: boolean}
                    sink:
                      type: postgres_table
                      table: orders
                %s
                    errors: {type: postgres_errors, table: orders_errors}
                """.formatted(database.jdbcUrl(), redeliver, sinkSettings);
    }

    private static final String ALL_COLUMNS = """
                  key: source_message_id
                  columns: {order_id: order_id, email: email, amount: amount, quantity: quantity, paid: paid}\
            """;

    private static String order(String id) {
        return "{\"order_id\": \"" + id + "\", \"amount\": 12.50, \"quantity\": 3, \"paid\": true}";
    }

    @Test
    void rowsLandUnderTheirNaturalKeyInATableCreatedFromTheSchemaAndRejectsInTheErrorTable() throws Exception {
        String first;
        String second;
        String bad;
        try (Pipelines pipelines = new Pipelines(orders(ALL_COLUMNS, false));
             AssembledPipeline orders = pipelines.start("orders")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("orders");
            first = queue.send(order("o-1"));
            second = queue.send("{\"order_id\": \"o-2\", \"email\": \"a@example.com\", \"amount\": 1,"
                    + " \"quantity\": 1, \"paid\": false}");
            bad = queue.send("{\"order_id\": \"o-3\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
        }
        assertThat(rows("SELECT source_message_id || ' ' || order_id || ' ' || coalesce(email, '-') || ' ' || amount"
                + " || ' ' || quantity || ' ' || paid FROM orders ORDER BY order_id"))
                .containsExactly(first + " o-1 - 12.50 3 true", second + " o-2 a@example.com 1 1 false");
        assertThat(rows("SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')',"
                + " '') || ' ' || is_nullable FROM information_schema.columns WHERE table_name = 'orders'"
                + " ORDER BY ordinal_position"))
                .containsExactly("source_message_id text NO", "order_id character varying(64) NO",
                        "email text YES", "amount numeric NO", "quantity bigint NO", "paid boolean NO");
        assertThat(rows("SELECT source || ' ' || natural_key || ' ' || raw_body FROM orders_errors"))
                .containsExactly("sqs:orders " + bad + " {\"order_id\": \"o-3\"}");
        assertThat(rows("SELECT reason FROM orders_errors")).singleElement().asString().contains("amount");
    }

    @Test
    void aRedeliveredMessageAddsNoSecondRowAndNoSecondReject() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Pipelines pipelines = new Pipelines(orders(ALL_COLUMNS, true));
             AssembledPipeline orders = pipelines.start("orders")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("orders");
            for (int i = 0; i < 20; i++) {
                ids.add(queue.send(order("o-" + i)));
            }
            String bad = queue.send("not json");
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            assertThat(queue.acknowledgedIds()).hasSize(21);
            ids.add(bad);
        }
        assertThat(rows("SELECT source_message_id FROM orders")).containsExactlyInAnyOrderElementsOf(
                ids.subList(0, 20));
        assertThat(rows("SELECT natural_key || ' ' || coordinates FROM orders_errors"))
                .containsExactly(ids.get(20) + " sqs:orders/" + ids.get(20) + "#1");
    }

    @Test
    void theNaturalKeyCanFillAColumnToo() throws Exception {
        try (Pipelines pipelines = new Pipelines(orders("""
                      columns: {order_id: order_id, message: $key}\
                """, false)); AssembledPipeline orders = pipelines.start("orders")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("orders");
            String id = queue.send(order("o-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            assertThat(rows("SELECT natural_key || ' ' || message || ' ' || order_id FROM orders"))
                    .containsExactly(id + " " + id + " o-1");
        }
    }

    @Test
    void migrationsMakeTheTablesWithTheirPlaceholdersAndTheSinksCheckThem() throws Exception {
        String yaml = orders("""
                      key: message_key
                      columns: {order_id: order_id, amount: amount}
                      migrations:
                        location: db/plugin-orders
                        placeholders: {error_table: orders_errors}\
                """, false).replace("table: orders_errors}", "table: orders_errors, create: none}");
        try (Pipelines pipelines = new Pipelines(yaml); AssembledPipeline orders = pipelines.start("orders")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("orders");
            String id = queue.send(order("o-1"));
            queue.send("[]");
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            assertThat(rows("SELECT message_key || ' ' || order_id FROM orders")).containsExactly(id + " o-1");
            assertThat(rows("SELECT count(*)::text FROM orders_errors")).containsExactly("1");
            assertThat(rows("SELECT version FROM sluice_history_orders WHERE success ORDER BY installed_rank"))
                    .contains("1");
        }
    }

    @Test
    void aColumnMappedToAFieldThatDoesNotReachTheSinkIsAnErrorAtItsKey() {
        try (Pipelines pipelines = new Pipelines(orders("""
                      columns: {order_id: order_id, email: emial}\
                """, false))) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:17:37: pipelines.orders.sink.columns.email: no field 'emial' reaches this"
                            + " point (column email is filled from it; the fields here are order_id, email, amount,"
                            + " quantity, paid)");
        }
    }

    @Test
    void aVarcharColumnShorterThanTheFieldsMaxLengthIsRefusedAtTheColumn() throws SQLException {
        execute("CREATE TABLE orders (natural_key text UNIQUE, order_id varchar(32))");
        try (Pipelines pipelines = new Pipelines(orders("""
                      columns: {order_id: order_id}\
                """, false))) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:17:17: pipelines.orders.sink.columns.order_id: column order_id of table"
                            + " orders is character varying(32), but field 'order_id' may be up to 64 characters;"
                            + " declare maxLength: 32 or less in the schema, or widen the column");
        }
        assertThat(rows("SELECT count(*)::text FROM orders")).containsExactly("0");
    }

    @Test
    void aVarcharColumnFedByAFieldWithoutMaxLengthIsRefusedAtTheColumn() throws SQLException {
        execute("CREATE TABLE orders (natural_key text UNIQUE, email varchar(256))");
        try (Pipelines pipelines = new Pipelines(orders("""
                      columns: {email: email}\
                """, false))) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:17:17: pipelines.orders.sink.columns.email: column email of table orders"
                            + " is character varying(256), but field 'email' has no maxLength; declare maxLength: 256"
                            + " or less in the schema, or widen the column");
        }
    }

    @Test
    void aColumnTheTableLacksIsAnErrorAtItsKey() throws SQLException {
        execute("CREATE TABLE orders (natural_key text UNIQUE, order_id text)");
        try (Pipelines pipelines = new Pipelines(orders("""
                      create: none
                      columns: {order_id: order_id, amount: amount}\
                """, false))) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:18:37: pipelines.orders.sink.columns.amount: table orders has no column"
                            + " amount (its columns: natural_key, order_id)");
        }
    }

    @Test
    void aKeyColumnWithoutAUniqueIndexIsAnErrorAtKey() throws SQLException {
        execute("CREATE TABLE orders (message_id text, order_id text)");
        try (Pipelines pipelines = new Pipelines(orders("""
                      key: message_id
                      columns: {order_id: order_id}\
                """, false))) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:17:7: pipelines.orders.sink.key: column message_id of table orders has"
                            + " no unique index of its own, which ON CONFLICT needs so a redelivered message adds"
                            + " nothing (CREATE UNIQUE INDEX ON orders (message_id))");
        }
    }

    @Test
    void aMissingTableUnderCreateNoneIsAnErrorAtTable() {
        try (Pipelines pipelines = new Pipelines(orders("""
                      create: none
                      columns: {order_id: order_id}\
                """, false))) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:16:7: pipelines.orders.sink.table: table orders does not exist (create:"
                            + " none: create it with your own migrations first, or set create: auto)");
        }
    }

    @Test
    void migrationsThatDoNotCreateTheTableAreAnErrorAtTable() {
        try (Pipelines pipelines = new Pipelines(orders("""
                      columns: {order_id: order_id}
                      migrations: {location: db/other}\
                """, false))) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:16:7: pipelines.orders.sink.table: table orders does not exist (the"
                            + " migrations at db/other do not create it)");
        }
    }

    @Test
    void createAutoWithoutASchemaIsAnErrorAtTheSink() {
        String yaml = orders("""
                      columns: {order_id: order_id}\
                """, false);
        yaml = yaml.substring(0, yaml.indexOf("    processors:")) + yaml.substring(yaml.indexOf("    sink:"));
        try (Pipelines pipelines = new Pipelines(yaml)) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:6:5: pipelines.orders.sink: create: auto needs the types of the fields,"
                            + " which a schema processor before the sink declares; add one, or create table orders"
                            + " yourself and set create: none");
        }
    }

    @Test
    void badSettingsAreErrorsAtTheirKeys() {
        assertThatThrownBy(() -> new Pipelines(orders("""
                      columns: {order_id: order_id}\
                """, false).replace("table: orders\n", "table: Orders;drop\n")).assemble("orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("user.yaml:16:7: pipelines.orders.sink.table: table name 'Orders;drop' is"
                        + " not a valid SQL identifier");
        assertThatThrownBy(() -> new Pipelines(orders("""
                      key: order_id
                      columns: {order_id: order_id}\
                """, false)).assemble("orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:18:17: pipelines.orders.sink.columns.order_id: column order_id is the key"
                        + " column, which always holds the message's natural key; map the fields to other columns");
        assertThatThrownBy(() -> new Pipelines(orders("""
                      create: auto
                      columns: {order_id: order_id}
                      migrations: {location: db/plugin-orders}\
                """, false)).assemble("orders"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:17:7: pipelines.orders.sink.create: auto and migrations exclude each"
                        + " other: the migrations create the table (leave create out, or set it to none)");
    }

    @Test
    void anErrorTableMissingUnderCreateNoneOrShapedForQueuesOnlyIsAnErrorAtTable() throws SQLException {
        String yaml = orders(ALL_COLUMNS, false).replace("table: orders_errors}", "table: orders_errors, create: none}");
        try (Pipelines pipelines = new Pipelines(yaml)) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:19:37: pipelines.orders.errors.table: error table orders_errors does not"
                            + " exist (create: none: create it with your own migrations first, or set create: auto)");
        }
        execute(QueueErrorSink.createTableSql("orders_errors"));
        try (Pipelines pipelines = new Pipelines(yaml)) {
            assertThatThrownBy(() -> pipelines.assemble("orders"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:19:37: pipelines.orders.errors.table: error table orders_errors is not"
                            + " shaped for rejects of any source (no column source, natural_key, coordinates; it needs"
                            + " the columns source, natural_key, coordinates, reason, raw_body and a unique index on"
                            + " (source, natural_key); see docs/plugins/postgres_errors.md)");
        }
        // The queue-only table the first pipelines have (login_errors) is what layout: queue writes to.
        try (Pipelines pipelines = new Pipelines(yaml.replace("create: none}", "create: none, layout: queue}"))) {
            pipelines.assemble("orders").close();
        }
    }

    private void execute(String sql) throws SQLException {
        Sql.execute(database.jdbcUrl(), sql);
    }

    private List<String> rows(String sql) throws SQLException {
        return Sql.rows(database.jdbcUrl(), sql);
    }
}
