package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseTimestamps;
import static dev.sluice.pipelines.tracking.TrackingArchiveHarness.archive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Every bad-input rule of the raw archiver: each bad message gives one {@code tracking_rejects} row with its raw
 * body and a reason naming the field and the rule (never a value), its message is deleted, and the good events
 * sent around it are archived.
 */
@OnEachPostgres
class TrackingArchiveBadInputTest {
    @Parameter
    TestDatabase database;

    /** The first fixture-shaped event with {@code field} set to the raw JSON {@code value}, or removed when null. */
    private static String with(String field, String value) {
        String event = TrackingArchiveHarness.events(1).getFirst();
        String start = "\"" + field + "\":";
        int at = event.indexOf(start);
        int end = event.indexOf(",\"", at);
        String before = event.substring(0, at);
        String after = event.substring(end + 1);
        return value == null ? before + after : before + start + value + "," + after;
    }

    private static Map<String, String> badBodies() {
        String naiveOrOffset = WarehouseTimestamps.EITHER_RULE;
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{\"id\":\"A\",\"event\":\"submission_success\",", "body: not valid JSON (line 1, column 40)");
        bad.put("not json at all", "body: not valid JSON (line 1, column 1)");
        bad.put("[{\"id\":\"A\"}]", "body: expected a JSON object, got an array");
        bad.put("   ", "body: empty, expected a JSON object");
        bad.put(with("id", null), "id: required field is missing");
        bad.put(with("event", null), "event: required field is missing");
        bad.put(with("timestamp", null), "timestamp: required field is missing");
        bad.put(with("id", "\"\""), "id: must be a non-empty string, got an empty string");
        bad.put(with("event", "7"), "event: must be a non-empty string, got a number");
        bad.put(with("timestamp", "1517336032"), "timestamp: must be a non-empty string, got a number");
        bad.put(with("timestamp", "\"30/01/2018 18:13:43\""), "timestamp: " + naiveOrOffset);
        bad.put(with("timestamp", "\"2018-01-30 18:13\""), "timestamp: " + naiveOrOffset);
        bad.put(with("timestamp", "\"2018-01-30T18:13:43.627+01\""), "timestamp: " + naiveOrOffset);
        bad.put(with("timestamp", "\"2018-02-30 18:13:43.627000\""),
                "timestamp: not a valid calendar date, time of day or offset");
        bad.put(with("sent_at", "\"Tue, 30 Jan 2018 18:13:51 GMT\""), "sent_at: " + naiveOrOffset);
        bad.put(with("received_at", "\"2018-01-30 18:13:52.2210000000\""), "received_at: " + naiveOrOffset);
        bad.put(with("original_timestamp", "\"2018-01-30T19:13:43.383 +0100\""), "original_timestamp: " + naiveOrOffset);
        return bad;
    }

    @Test
    void everyBadMessageIsRecordedWithItsReasonAndDeletedWhileGoodEventsAreArchived() {
        Map<String, String> bad = badBodies();
        assertThat(bad).hasSize(17);
        try (TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                archive(900, 64L << 20, Duration.ofSeconds(1)))) {
            List<String> good = TrackingArchiveHarness.events(20);
            List<String> all = new ArrayList<>();
            List<String> badBodies = new ArrayList<>(bad.keySet());
            for (int i = 0; i < good.size(); i++) {
                all.add(good.get(i));
                if (i < badBodies.size()) {
                    all.add(badBodies.get(i));
                }
            }
            all.addAll(badBodies.subList(Math.min(good.size(), badBodies.size()), badBodies.size()));
            h.start();
            h.send(all);

            h.awaitSettled();

            assertThat(h.rejects()).isEqualTo(bad);
            assertThat(h.rawLines()).containsExactlyInAnyOrderElementsOf(good);
            assertThat(h.runner().metrics().rejectedCount()).isEqualTo(bad.size());
            for (String reason : bad.values()) {
                assertThat(reason).doesNotContain("18:13", "2018", "GMT", "submission_success");
            }
        }
    }
}
