package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.pipelines.warehouse.WarehouseTimestamps;

import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The warehouse load job on s3proxy and each Postgres: what loads, what is recorded, what is skipped. */
@OnEachPostgres
class TrackingLoadJobTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Parameter
    TestDatabase database;
    TestDatabase fresh;
    TrackingLoadHarness h;

    @BeforeEach
    void open() {
        fresh = database.another();
        h = new TrackingLoadHarness(fresh.settings());
    }

    @AfterEach
    void close() throws SQLException {
        h.close();
        fresh.close();
    }

    @Test
    void theFixtureEventsLoadWithTheirColumnValuesTimestampsAndTimeZones() throws Exception {
        List<String> lines = TrackingLoadHarness.fixtureLines();
        String key = h.putRaw(lines);

        WarehouseLoadJob.Summary summary = h.job.loadPending();

        assertThat(summary).isEqualTo(new WarehouseLoadJob.Summary(1, 0, lines.size(), 0, 0));
        try (Connection c = h.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            // A session in another time zone must read the same instants: nothing depends on the server's zone.
            s.execute("SET TIME ZONE 'America/New_York'");
            for (String line : lines) {
                ObjectNode event = (ObjectNode) JSON.readTree(line);
                try (PreparedStatement select = c.prepareStatement("SELECT * FROM events WHERE id = ?")) {
                    select.setString(1, event.get("id").stringValue());
                    try (ResultSet row = select.executeQuery()) {
                        assertThat(row.next()).isTrue();
                        assertRowMatches(row, event);
                    }
                }
            }
        }
        // The fixture's own values, spelled out: the first event's original time is 19:13:43.383 at +01:00.
        try (Connection c = h.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT user_id, original_timestamp, \"timestamp\" FROM events "
                     + "WHERE id = 'FB16866D-AE4D-416F-8848-122B07DA42F5'")) {
            row.next();
            assertThat(row.getInt("user_id")).isEqualTo(18946);
            assertThat(row.getObject("original_timestamp", OffsetDateTime.class).toInstant())
                    .isEqualTo(OffsetDateTime.parse("2018-01-30T19:13:43.383+01:00").toInstant());
            assertThat(row.getObject("timestamp", LocalDateTime.class))
                    .isEqualTo(LocalDateTime.parse("2018-01-30T18:13:43.627"));
        }
        assertThat(h.count("SELECT rows_loaded FROM tracking_loaded_files WHERE file_key = '" + key + "'"))
                .isEqualTo(lines.size());
    }

    /** Every column against the JSON field of the same name; absent fields are NULL. */
    private void assertRowMatches(ResultSet row, ObjectNode event) throws SQLException {
        for (String column : h.settings.columns().keySet()) {
            JsonNode value = event.get(column);
            Object stored = row.getObject(column);
            if (value == null || value.isNull()) {
                assertThat(stored).as(column).isNull();
            } else if (column.equals("user_id")) {
                assertThat(row.getInt(column)).as(column).isEqualTo(Integer.parseInt(value.asString()));
            } else if (value.isBoolean()) {
                assertThat(stored).as(column).isEqualTo(value.booleanValue());
            } else if (column.equals("original_timestamp")) {
                assertThat(row.getObject(column, OffsetDateTime.class).toInstant()).as(column)
                        .isEqualTo(WarehouseTimestamps.parseWithOffset(column, value.stringValue()).toInstant());
            } else if (List.of("timestamp", "sent_at", "received_at").contains(column)) {
                assertThat(row.getObject(column, LocalDateTime.class)).as(column).isEqualTo(LocalDateTime.ofInstant(
                        WarehouseTimestamps.parseNaiveUtc(column, value.stringValue()), ZoneOffset.UTC));
            } else {
                assertThat(stored).as(column).isEqualTo(value.stringValue());
            }
        }
    }

    @Test
    void anIdAlreadyLoadedIsSkippedAndCountedAcrossFilesAndWithinOne() throws Exception {
        List<String> first = List.of(event("A", e -> { }), event("B", e -> { }));
        List<String> second = List.of(event("B", e -> { }), event("C", e -> { }), event("C", e -> { }));
        h.putRaw(first);
        h.putRaw(second);

        WarehouseLoadJob.Summary summary = h.job.loadPending();

        assertThat(summary).isEqualTo(new WarehouseLoadJob.Summary(2, 0, 3, 2, 0));
        assertThat(h.events()).isEqualTo(3);
        assertThat(h.count("SELECT sum(duplicates_skipped) FROM tracking_loaded_files")).isEqualTo(2);
    }

    @Test
    void aLargeFileStartingWithAKnownIdLoadsAllItsNewRowsOnceAndItsBadLinesOnce() throws Exception {
        h.putRaw(List.of(event("D-0", e -> { })));
        List<String> large = new ArrayList<>(TrackingLoadHarness.events("D-", 5_000));
        large.add(2_500, "not json");
        String key = h.putRaw(large);

        WarehouseLoadJob.Summary summary = h.job.loadPending();

        // D-0 is in the first file: the large file's straight COPY fails on its first row and is redone staged.
        assertThat(summary).isEqualTo(new WarehouseLoadJob.Summary(2, 0, 5_000, 1, 1));
        assertThat(h.events()).isEqualTo(5_000);
        assertThat(errors()).extracting(LoadError::file, LoadError::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(key, 2_501L));
    }

    @Test
    void aMalformedLineIsRecordedWithItsFileAndLineNumberAndTheGoodOnesLoad() throws Exception {
        String malformed = "{\"id\": \"X\", \"event\": ";
        String key = h.putRaw(List.of(event("A", e -> { }), malformed, event("B", e -> { })));

        WarehouseLoadJob.Summary summary = h.job.loadPending();

        assertThat(summary).isEqualTo(new WarehouseLoadJob.Summary(1, 0, 2, 0, 1));
        assertThat(h.events()).isEqualTo(2);
        List<LoadError> errors = errors();
        assertThat(errors).extracting(LoadError::file, LoadError::line, LoadError::rawLine)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(key, 2L, malformed));
        assertThat(errors.getFirst().reason()).startsWith("body: not valid JSON");
    }

    @Test
    void everyFieldRuleRejectsItsLineNamingTheFieldAndTheRuleAndTheOthersLoad() throws Exception {
        Map<String, Consumer<ObjectNode>> cases = new LinkedHashMap<>();
        cases.put("user_id: expected a digit string or an integer", e -> e.put("user_id", "18946a"));
        cases.put("user_id: out of range for INTEGER", e -> e.put("user_id", "99999999999"));
        cases.put("user_id: expected a digit string or an integer, got a boolean", e -> e.put("user_id", true));
        cases.put("id: required field is missing", e -> e.remove("id"));
        cases.put("event: required field is missing", e -> e.remove("event"));
        cases.put("timestamp: required field is missing", e -> e.remove("timestamp"));
        cases.put("anonymous_id: must not be null", e -> e.putNull("anonymous_id"));
        cases.put("context_locale: longer than 5 characters", e -> e.put("context_locale", "de-DE-x"));
        cases.put("event: longer than 32 characters", e -> e.put("event", "e".repeat(33)));
        cases.put("context_network_wifi: expected a boolean, got a string", e -> e.put("context_network_wifi", "yes"));
        cases.put("sent_at: expected naive UTC time", e -> e.put("sent_at", "30/01/2018 18:13"));
        cases.put("original_timestamp: expected naive UTC time", e -> e.put("original_timestamp", "yesterday"));
        // Well-shaped, but PostgreSQL refuses year 0: the line, not its whole file, must fail.
        cases.put("timestamp: " + WarehouseTimestamps.RANGE_RULE, e -> e.put("timestamp", "0000-01-01 00:00:00"));
        cases.put("original_timestamp: " + WarehouseTimestamps.RANGE_RULE,
                e -> e.put("original_timestamp", "0001-01-01T00:30:00+0100"));
        cases.put("event_text: contains a NUL character", e -> e.put("event_text", "a\u0000b"));

        List<String> lines = new ArrayList<>();
        lines.add(event("good-1", e -> e.put("user_id", 42)));
        int n = 0;
        for (Consumer<ObjectNode> breakIt : cases.values()) {
            lines.add(event("bad-" + ++n, breakIt));
        }
        lines.add(event("good-2", e -> e.put("context_device_token", "ignored").remove("user_id")));
        String key = h.putRaw(lines);

        WarehouseLoadJob.Summary summary = h.job.loadPending();

        assertThat(summary).isEqualTo(new WarehouseLoadJob.Summary(1, 0, 2, 0, cases.size()));
        assertThat(h.count("SELECT user_id FROM events WHERE id = 'good-1'")).isEqualTo(42);
        assertThat(h.count("SELECT count(*) FROM events WHERE id = 'good-2' AND user_id IS NULL")).isOne();
        List<LoadError> errors = errors();
        List<String> rules = new ArrayList<>(cases.keySet());
        assertThat(errors).hasSize(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            LoadError error = errors.get(i);
            assertThat(error.file()).isEqualTo(key);
            assertThat(error.line()).isEqualTo(i + 2);
            assertThat(error.reason()).as("line %d", i + 2).contains(rules.get(i));
            assertThat(error.rawLine()).isEqualTo(lines.get(i + 1).replace('\0', '\uFFFD'));
        }
    }

    @Test
    void aLineOfMalformedUtf8IsRecordedWhileASentReplacementCharacterLoads() throws Exception {
        String marker = "MALFORMED";
        String malformed = event("bad-utf8", e -> e.put("event_text", marker));
        String replacement = event("sent-fffd", e -> e.put("event_text", "a\uFFFDb"));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(malformed.substring(0, malformed.indexOf(marker)).getBytes(StandardCharsets.UTF_8));
        file.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});  // a lead byte without its continuation
        file.writeBytes((malformed.substring(malformed.indexOf(marker) + marker.length()) + "\n" + replacement
                + "\n").getBytes(StandardCharsets.UTF_8));
        String key = h.putBytes(TrackingLoadHarness.gzip(file.toByteArray()));

        assertThat(h.job.loadPending()).isEqualTo(new WarehouseLoadJob.Summary(1, 0, 1, 0, 1));

        assertThat(h.count("SELECT count(*) FROM events WHERE id = 'sent-fffd' AND event_text = 'a\uFFFDb'")).isOne();
        List<LoadError> errors = errors();
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().file()).isEqualTo(key);
        assertThat(errors.getFirst().line()).isOne();
        assertThat(errors.getFirst().reason()).isEqualTo("line is not valid UTF-8");
        assertThat(errors.getFirst().rawLine()).startsWith(malformed.substring(0, malformed.indexOf(marker)));
    }

    @Test
    void aTruncatedGzipTailLoadsTheLinesBeforeItRecordsTheTruncationAndLedgersTheFile() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            lines.add(event("T-" + i, e -> { }));
        }
        byte[] whole = TrackingLoadHarness.gzip(String.join("\n", lines) + "\n");
        String key = h.putBytes(Arrays.copyOf(whole, whole.length * 2 / 3));

        WarehouseLoadJob.Summary summary = h.job.loadPending();

        long loaded = h.events();
        assertThat(loaded).isPositive().isLessThan(lines.size());
        assertThat(summary).isEqualTo(new WarehouseLoadJob.Summary(1, 0, loaded, 0, 1));
        // The loaded rows are exactly the first lines of the file, in order, with nothing skipped.
        assertThat(h.count("SELECT count(*) FROM events WHERE id IN ("
                + String.join(",", lines.stream().limit(loaded).map(l -> "'" + id(l) + "'").toList()) + ")"))
                .isEqualTo(loaded);
        List<LoadError> errors = errors();
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().file()).isEqualTo(key);
        assertThat(errors.getFirst().line()).isEqualTo(loaded + 1);
        assertThat(errors.getFirst().reason()).contains("truncated");
        assertThat(lines.get((int) loaded)).startsWith(errors.getFirst().rawLine());

        assertThat(h.job.loadPending()).isEqualTo(new WarehouseLoadJob.Summary(0, 1, 0, 0, 0));
        assertThat(h.events()).isEqualTo(loaded);
    }

    @Test
    void anEmptyBucketLoadsNothing() throws Exception {
        assertThat(h.job.loadPending()).isEqualTo(new WarehouseLoadJob.Summary(0, 0, 0, 0, 0));
        assertThat(h.events()).isZero();
        assertThat(h.count("SELECT count(*) FROM tracking_loaded_files")).isZero();
    }

    @Test
    void theSameFileIsLoadedOnceAndSkippedByTheLedgerAfter() throws Exception {
        List<String> lines = TrackingLoadHarness.fixtureLines();
        h.putRaw(lines);

        assertThat(h.job.loadPending().filesLoaded()).isOne();
        assertThat(h.job.loadPending()).isEqualTo(new WarehouseLoadJob.Summary(0, 1, 0, 0, 0));
        assertThat(h.job.run().summary()).contains("0 files loaded").contains("1 already loaded");

        assertThat(h.events()).isEqualTo(lines.size());
        assertThat(h.count("SELECT count(*) FROM tracking_loaded_files")).isOne();
    }

    record LoadError(String file, long line, String reason, String rawLine) {
    }

    private List<LoadError> errors() throws SQLException {
        List<LoadError> errors = new ArrayList<>();
        try (Connection c = h.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT file_key, line_number, reason, raw_line FROM tracking_load_errors "
                     + "ORDER BY file_key, line_number")) {
            while (rs.next()) {
                errors.add(new LoadError(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
            }
        }
        return errors;
    }

    /** The first fixture event with id {@code id}, changed by {@code change}, as one line. */
    static String event(String id, Consumer<ObjectNode> change) {
        ObjectNode event = (ObjectNode) JSON.readTree(TrackingLoadHarness.fixtureLines().getFirst());
        event.put("id", id);
        change.accept(event);
        return JSON.writeValueAsString(event);
    }

    private static String id(String line) {
        return JSON.readTree(line).get("id").stringValue();
    }
}
