package dev.sluice.postgres.plugin;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.Sql;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The dedupe processor around a sink that gathers files, remembering stored events in the postgres store. */
@OnEachPostgres
class DedupeTest {

    @Parameter
    TestDatabase database;

    @BeforeEach
    void dropTables() throws SQLException {
        Sql.execute(database.jdbcUrl(), "DROP TABLE IF EXISTS events_errors, sluice_seen_events,"
                + " sluice_seen_events_storing, sluice_history_sluice_seen_events, own_seen, own_seen_storing,"
                + " sluice_history_own_seen");
    }

    @AfterEach
    void forget() {
        TestPlugins.forget();
    }

    /** A pipeline {@code name} reading queue {@code name}; {@code %s} is more settings of its dedupe. */
    private String pipeline(String name, String dedupeSettings) {
        return """
                  %1$s:
                    source: {type: memory, queue: %1$s}
                    processors:
                      - type: json_fields
                        fields:
                          event_id: {type: string, maxLength: 64, optional: true}
                          name: {type: string}
                      - {type: dedupe, key: event_id%2$s}
                    sink: {type: files}
                    errors: {type: postgres_errors, table: events_errors}
                """.formatted(name, dedupeSettings);
    }

    private String config(String... pipelines) {
        return "postgres:\n  url: \"" + database.jdbcUrl() + "\"\npipelines:\n" + String.join("", pipelines);
    }

    private static String event(String id) {
        return "{\"event_id\": \"" + id + "\", \"name\": \"n\"}";
    }

    @Test
    void aSecondCopyOfAnEventIsDroppedAndBothItsMessagesAreAcknowledged() throws Exception {
        try (Pipelines pipelines = new Pipelines(config(pipeline("events", "")));
             AssembledPipeline events = pipelines.start("events")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("events");
            queue.send(event("e-1"));
            queue.send(event("e-1"));
            queue.send(event("e-2"));
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            assertThat(queue.acknowledgedIds()).hasSize(3);
        }
        assertThat(storedIds("events")).containsExactlyInAnyOrder("e-1", "e-2");
        assertThat(rows("SELECT event_key FROM sluice_seen_events")).containsExactlyInAnyOrder("events/e-1",
                "events/e-2");
    }

    @Test
    void aCopyArrivingAfterARestartIsDroppedBecauseTheStoreRemembersIt() throws Exception {
        for (int run = 0; run < 2; run++) {
            try (Pipelines pipelines = new Pipelines(config(pipeline("events", "")));
                 AssembledPipeline events = pipelines.start("events")) {
                InMemoryQueue queue = TestPlugins.QUEUES.get("events");
                queue.send(event("e-1"));
                await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
            }
            TestPlugins.QUEUES.clear();
        }
        assertThat(storedIds("events")).containsExactly("e-1");
    }

    @Test
    void pipelinesSharingTheStoreNeverDropEachOthersEvents() throws Exception {
        try (Pipelines pipelines = new Pipelines(config(pipeline("events", ""), pipeline("others", "")));
             AssembledPipeline events = pipelines.start("events");
             AssembledPipeline others = pipelines.start("others")) {
            TestPlugins.QUEUES.get("events").send(event("e-1"));
            TestPlugins.QUEUES.get("others").send(event("e-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> TestPlugins.QUEUES.get("events").remaining() == 0
                    && TestPlugins.QUEUES.get("others").remaining() == 0);
        }
        assertThat(storedIds("events")).containsExactly("e-1");
        assertThat(storedIds("others")).containsExactly("e-1");
        assertThat(rows("SELECT event_key FROM sluice_seen_events")).containsExactlyInAnyOrder("events/e-1",
                "others/e-1");
    }

    @Test
    void anEventWithoutItsKeyIsRejectedWithItsBodyKept() throws Exception {
        try (Pipelines pipelines = new Pipelines(config(pipeline("events", "")));
             AssembledPipeline events = pipelines.start("events")) {
            InMemoryQueue queue = TestPlugins.QUEUES.get("events");
            queue.send("{\"name\": \"no id\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
        }
        assertThat(TestPlugins.STORED.getOrDefault("events", List.of())).isEmpty();
        assertThat(rows("SELECT reason || ' | ' || raw_body FROM events_errors")).containsExactly("dedupe: field"
                + " 'event_id' is missing or null; it identifies the event | {\"name\": \"no id\"}");
    }

    @Test
    void aSinkThatDoesNotGatherFilesIsRefused() {
        String yaml = config(pipeline("events", "")).replace("sink: {type: files}",
                "sink: {type: postgres_table, table: events, columns: {name: name}}");
        try (Pipelines pipelines = new Pipelines(yaml)) {
            assertThatThrownBy(() -> pipelines.assemble("events"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:11:9: pipelines.events.processors[1]: dedupe needs a sink that gathers"
                            + " files (it must see when a file is stored); sink type postgres_table writes each batch"
                            + " at once and is idempotent by itself");
        }
    }

    @Test
    void aKeyNoSchemaDeclaresIsAnErrorAtKey() {
        try (Pipelines pipelines = new Pipelines(config(pipeline("events", "")).replace("key: event_id",
                "key: eventid"))) {
            assertThatThrownBy(() -> pipelines.assemble("events"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:11:24: pipelines.events.processors[1].key: no field 'eventid' reaches this"
                            + " point (dedupe identifies events by it; the fields here are event_id, name)");
        }
    }

    @Test
    void anUnknownStoreIsAnErrorAtStore() {
        try (Pipelines pipelines = new Pipelines(config(pipeline("events", ", store: redis")))) {
            assertThatThrownBy(() -> pipelines.assemble("events"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:11:39: pipelines.events.processors[1].store: no SeenEvents named 'redis'"
                            + " (offered: postgres)");
        }
    }

    @Test
    void aHorizonOutOfRangeOrUnlikeTheOtherDedupesOfItsStoreIsAnErrorAtHorizon() {
        assertThatThrownBy(() -> new Pipelines(config(pipeline("events", ", horizon: 1m"))).assemble("events"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("user.yaml:11:39: pipelines.events.processors[1].horizon: horizon must be between 1 hour"
                        + " and 30 days, was PT1M");
        try (Pipelines pipelines = new Pipelines(config(pipeline("events", ""),
                pipeline("others", ", horizon: 2h")))) {
            pipelines.assemble("events").close();
            assertThatThrownBy(() -> pipelines.assemble("others"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("user.yaml:21:39: pipelines.others.processors[1].horizon: every dedupe of store"
                            + " postgres keeps the same horizon, since each forgets the store's events older than its"
                            + " own (pipeline events keeps PT24H)");
        }
    }

    @Test
    void aTableOfItsOwnKeepsKeysAsTheyAreWithTheEventTimeFromAField() throws Exception {
        for (int run = 0; run < 2; run++) {
            try (Pipelines pipelines = new Pipelines(withTime(", table: own_seen, time: created_at"));
                 AssembledPipeline events = pipelines.start("events")) {
                InMemoryQueue queue = TestPlugins.QUEUES.get("events");
                queue.send("{\"event_id\": \"e-1\", \"name\": \"n\", \"created_at\": 1700000000.5}");
                queue.send("{\"event_id\": \"e-2\", \"name\": \"n\"}");
                await().atMost(Duration.ofSeconds(30)).until(() -> queue.remaining() == 0);
                assertThat(queue.acknowledgedIds()).hasSize(2);
            }
            TestPlugins.QUEUES.clear();
        }
        assertThat(storedIds("events")).containsExactlyInAnyOrder("e-1", "e-2");
        assertThat(rows("SELECT event_key || ' ' || (event_time = '2023-11-14T22:13:20.5Z') FROM own_seen"
                + " ORDER BY 1")).containsExactly("e-1 true", "e-2 false");
        assertThat(rows("SELECT count(*) FROM own_seen_storing")).containsExactly("0");
        assertThat(rows("SELECT to_regclass('sluice_seen_events') IS NULL")).containsExactly("t");
    }

    @Test
    void aTableOfItsOwnAndItsTimeFieldAreCheckedAtTheirKeys() {
        String[][] cases = {
                {", table: own_seen, store: postgres", "pipelines.events.processors[1].store: give a"
                        + " store or a table, not both"},
                {", ledger: own_storing", "pipelines.events.processors[1].ledger: ledger belongs to a"
                        + " dedupe with a table of its own (table:)"},
                {", table: own_seen, ledger: own_storing", "pipelines.events.processors[1].ledger:"
                        + " a ledger named otherwise than own_seen_storing needs the migrations that create it"
                        + " (migrations:)"},
                {", table: \"own seen\"", "pipelines.events.processors[1].table: "},
                {", time: name", "pipelines.events.processors[1].time: field 'name' is a string,"
                        + " but dedupe needs a timestamp or a number of Unix seconds"},
                {", time: at", "pipelines.events.processors[1].time: no field 'at' reaches this"
                        + " point (dedupe remembers events by it; the fields here are event_id, name, created_at)"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> {
                try (Pipelines pipelines = new Pipelines(withTime(c[0]))) {
                    pipelines.assemble("events");
                }
            }).isInstanceOf(ConfigException.class).hasMessageStartingWith("user.yaml:12:").hasMessageContaining(c[1]);
        }
    }

    /** Pipeline {@code events} whose events may carry {@code created_at}, a double of Unix seconds. */
    private String withTime(String dedupeSettings) {
        return config(pipeline("events", dedupeSettings)).replace("name: {type: string}\n",
                "name: {type: string}\n          created_at: {type: double, optional: true}\n");
    }

    private static List<String> storedIds(String pipeline) {
        return TestPlugins.STORED.getOrDefault(pipeline, List.of()).stream()
                .map(Event::record).map(record -> record.string("event_id")).toList();
    }

    private List<String> rows(String sql) throws SQLException {
        return Sql.rows(database.jdbcUrl(), sql);
    }
}
