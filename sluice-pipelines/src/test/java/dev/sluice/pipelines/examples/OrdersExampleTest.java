package dev.sluice.pipelines.examples;

import dev.sluice.core.engine.Runner;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import dev.sluice.core.pipeline.Event;
import dev.sluice.pipelines.SourceFaults;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/examples/orders.yaml as a user runs it: real embedded SQS, real PostgreSQL (embedded 17 and the machine's
 * 15), the file read from the repository with only the queue and timings overridden.
 */
@OnEachPostgres
class OrdersExampleTest {
    private static final PiiMasker SIV = new PiiMasker(OrdersHarness.KEYS, MaskMode.SIV);
    private static final PiiMasker HMAC = new PiiMasker(OrdersHarness.KEYS, MaskMode.HMAC);

    @Parameter
    TestDatabase database;

    private static String order(String orderId, String email, String cardNumber, String amount, String currency,
                                String placedAt, String noteMember) {
        return "{\"order_id\": \"" + orderId + "\", \"email\": \"" + email + "\", \"card_number\": \"" + cardNumber
                + "\", \"amount\": " + amount + ", \"currency\": \"" + currency + "\", \"placed_at\": " + placedAt
                + noteMember + "}";
    }

    private static String order(String orderId) {
        return order(orderId, orderId + "@example.com", "4111111111111111", "10.00", "EUR",
                "\"2026-12-07T10:15:00Z\"", "");
    }

    /** What one order row holds, read back with the JDBC types of the columns create: auto made. */
    private record Row(String email, String cardNumber, BigDecimal amount, String currency, OffsetDateTime placedAt,
                       String note) {
    }

    private static Map<String, Row> ordersById(OrdersHarness h) {
        Map<String, Row> rows = new LinkedHashMap<>();
        h.query("SELECT order_id, email, card_number, amount, currency, placed_at, note FROM orders", rs ->
                rows.put(rs.getString(1), new Row(rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class), rs.getString(7))));
        return rows;
    }

    @Test
    void validOrdersLandOnceEachWithMaskedPiiExactAmountsAndUtcTimes() {
        try (OrdersHarness h = new OrdersHarness(database)) {
            h.start();
            h.send(List.of(
                    order("o-1", "ada@example.com", "4111111111111111", "12.50", "EUR",
                            "\"2026-12-07T10:15:00+01:00\"", ", \"note\": \"ring twice\""),
                    order("o-2", "Grace.Hopper+orders@example.org", "5500000000000004", "0.1", "USD",
                            "\"2026-12-07 23:59:59.123456\"", ", \"note\": null"),
                    order("o-3", "zoë@example.de", "340000000000009", "123456789012345678901234.000001", "CHF",
                            "1796601600000", ""),
                    order("o-4", "ada@example.com", "4111111111111111", "-3", "GBP",
                            "\"2026-01-30T19:13:43.383-05:30\"", "")));
            h.awaitHandled(4);

            assertThat(h.errorRows()).isZero();
            Map<String, Row> rows = ordersById(h);
            assertThat(rows).containsOnlyKeys("o-1", "o-2", "o-3", "o-4");
            assertThat(h.count("SELECT count(DISTINCT source_message_id) FROM orders")).isEqualTo(4);

            Row first = rows.get("o-1");
            assertThat(first.email()).startsWith("sv1." + OrdersHarness.KEYS.primaryId() + ".")
                    .doesNotContain("ada");
            assertThat(SIV.unmask(first.email())).isEqualTo("ada@example.com");
            assertThat(first.cardNumber()).startsWith("hm1." + OrdersHarness.KEYS.primaryId() + ".")
                    .isEqualTo(HMAC.mask("4111111111111111"));
            assertThat(first.amount()).isEqualTo(new BigDecimal("12.50"));
            assertThat(first.currency()).isEqualTo("EUR");
            assertThat(first.placedAt()).isEqualTo(OffsetDateTime.parse("2026-12-07T09:15:00Z"));
            assertThat(first.note()).isEqualTo("ring twice");

            Row second = rows.get("o-2");
            assertThat(SIV.unmask(second.email())).isEqualTo("Grace.Hopper+orders@example.org");
            assertThat(second.cardNumber()).isEqualTo(HMAC.mask("5500000000000004"));
            assertThat(second.amount()).isEqualTo(new BigDecimal("0.1"));
            assertThat(second.placedAt()).as("a time without offset is UTC")
                    .isEqualTo(OffsetDateTime.parse("2026-12-07T23:59:59.123456Z"));
            assertThat(second.note()).isNull();

            Row third = rows.get("o-3");
            assertThat(SIV.unmask(third.email())).isEqualTo("zoë@example.de");
            assertThat(third.amount()).isEqualTo(new BigDecimal("123456789012345678901234.000001"));
            assertThat(third.placedAt()).as("epoch milliseconds")
                    .isEqualTo(OffsetDateTime.parse("2026-12-07T00:00:00Z"));
            assertThat(third.note()).as("an absent note").isNull();

            Row fourth = rows.get("o-4");
            assertThat(fourth.email()).as("equal addresses, equal tokens").isEqualTo(first.email());
            assertThat(fourth.cardNumber()).isEqualTo(first.cardNumber());
            assertThat(fourth.amount()).isEqualTo(new BigDecimal("-3"));
            assertThat(fourth.placedAt()).isEqualTo(OffsetDateTime.parse("2026-01-31T00:43:43.383Z"));
        }
    }

    @Test
    void eachBadOrderIsOneErrorRowWithItsReasonAndRawBodyAndNothingIsLost() {
        String tooLongEmail = "a".repeat(243) + "@example.com";
        String tooLongForSiv = "b".repeat(188) + "@example.com";
        Map<String, String> reasonByBody = new LinkedHashMap<>();
        reasonByBody.put("{\"order_id\": \"o-json\", \"email\": ", "body: not valid JSON");
        reasonByBody.put("{\"email\": \"no-id@example.com\", \"card_number\": \"4111111111111111\", \"amount\": 1,"
                + " \"currency\": \"EUR\", \"placed_at\": \"2026-12-07T10:15:00Z\"}",
                "order_id: required field is missing");
        reasonByBody.put(order("o-card", "card@example.com", "4111-1111-1111-1111", "1", "EUR",
                "\"2026-12-07T10:15:00Z\"", ""), "card_number: expected only digits 0-9, found another character at"
                + " position 4");
        reasonByBody.put(order("o-currency", "yen@example.com", "4111111111111111", "1", "JPY",
                "\"2026-12-07T10:15:00Z\"", ""), "currency: expected one of EUR, USD, GBP, CHF");
        reasonByBody.put(order("o-email", tooLongEmail, "4111111111111111", "1", "EUR",
                "\"2026-12-07T10:15:00Z\"", ""), "email: longer than 254 characters");
        reasonByBody.put(order("o-siv", tooLongForSiv, "4111111111111111", "1", "EUR",
                "\"2026-12-07T10:15:00Z\"", ""), "email: value is 200 bytes in UTF-8; siv tokens fit 256 characters"
                + " only for values up to 166 bytes");
        reasonByBody.put(order("o-many", "many@example.com", "41x1", "\"12.50\"", "eur", "\"yesterday\"", ""),
                "card_number: expected only digits 0-9, found another character at position 2; amount: expected"
                        + " a number, got a string; currency: expected one of EUR, USD, GBP, CHF; placed_at: ");
        List<String> bodies = new ArrayList<>();
        for (String bad : reasonByBody.keySet()) {
            bodies.add(bad);
            bodies.add(order("ok-" + bodies.size()));
        }
        try (OrdersHarness h = new OrdersHarness(database)) {
            h.start();
            h.send(bodies);
            h.awaitHandled(bodies.size());

            assertThat(h.rows()).isEqualTo(reasonByBody.size());
            assertThat(h.count("SELECT count(*) FROM orders WHERE order_id LIKE 'ok-%'")).isEqualTo(h.rows());
            List<List<String>> errors = h.query("SELECT raw_body, reason, source, natural_key FROM orders_errors",
                    rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            assertThat(errors).hasSize(reasonByBody.size());
            assertThat(errors).extracting(row -> row.getFirst()).containsExactlyInAnyOrderElementsOf(
                    reasonByBody.keySet());
            for (List<String> row : errors) {
                String reason = row.get(1);
                assertThat(reason).as("the reason of %s", row.getFirst())
                        .startsWith(reasonByBody.get(row.getFirst()))
                        .doesNotContain("4111", "example.com", "JPY", "yesterday");
                assertThat(row.get(2)).isEqualTo("sqs:" + h.queue);
                assertThat(row.get(3)).isNotBlank();
            }
            assertThat(h.queueDepth()).isZero();
        }
    }

    @Test
    void aMessageDeliveredAgainAfterItsAcknowledgementWasLostGivesOneRow() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bodies.add(order("again-" + i));
        }
        bodies.add("not json");
        try (OrdersHarness h = new OrdersHarness(database)) {
            // The first acknowledgements are "lost", as if the process died right after the commit: SQS hands the
            // messages out again once their 2 s claim ends.
            AtomicBoolean lostAcks = new AtomicBoolean(true);
            Runner<Event> runner = h.start(SourceFaults.acknowledgementsLostWhile(lostAcks::get));
            h.send(bodies);
            await().until(() -> h.rows() == 30 && h.errorRows() == 1);
            await().until(() -> runner.metrics().receivedCount() > bodies.size());
            lostAcks.set(false);
            h.awaitHandled(bodies.size());

            assertThat(runner.metrics().receivedCount()).as("the lost acks made SQS redeliver")
                    .isGreaterThan(bodies.size());
            assertThat(h.rows()).isEqualTo(30);
            assertThat(h.count("SELECT count(DISTINCT order_id) FROM orders")).isEqualTo(30);
            assertThat(h.errorRows()).as("a reject delivered again adds nothing either").isEqualTo(1);
        }
    }
}
