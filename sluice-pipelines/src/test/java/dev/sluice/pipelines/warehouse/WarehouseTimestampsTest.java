package dev.sluice.pipelines.warehouse;

import dev.sluice.pipelines.warehouse.WarehouseTimestamps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WarehouseTimestampsTest {

    private static List<JsonNode> fixtureEvents() throws IOException {
        Path file = Path.of(System.getProperty("sluice.fixtures"), "tracking", "sample_events.ndjson");
        JsonMapper mapper = JsonMapper.builder().build();
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(mapper::readTree).toList();
    }

    @Test
    void fixtureNaiveTimesAreUtcInstants() throws IOException {
        List<JsonNode> events = fixtureEvents();
        assertThat(events).hasSize(2);
        for (JsonNode event : events) {
            for (String field : List.of("timestamp", "sent_at", "received_at")) {
                String text = event.get(field).asString();
                Instant expected = LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                assertThat(WarehouseTimestamps.parseNaiveUtc(field, text)).isEqualTo(expected);
                assertThat(WarehouseTimestamps.parseInstant(field, text)).isEqualTo(expected);
            }
        }
    }

    @Test
    void fixtureOriginalTimestampsKeepTheirOffset() throws IOException {
        for (JsonNode event : fixtureEvents()) {
            String text = event.get("original_timestamp").asString();
            OffsetDateTime parsed = WarehouseTimestamps.parseWithOffset("original_timestamp", text);
            // the fixture writes +0100: the colon form of the same text must give the same value
            String colon = text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2);
            assertThat(parsed).isEqualTo(OffsetDateTime.parse(colon));
            assertThat(parsed.getOffset()).isEqualTo(ZoneOffset.ofHours(1));
            assertThat(WarehouseTimestamps.parseInstant("original_timestamp", text)).isEqualTo(parsed.toInstant());
            // the device's clock time comes before the server's 'timestamp' of the same event
            Instant timestamp = WarehouseTimestamps.parseNaiveUtc("timestamp", event.get("timestamp").asString());
            assertThat(parsed.toInstant()).isBefore(timestamp);
        }
    }

    @Test
    void naiveTimesTakeZeroToNineFractionDigitsAndEitherSeparator() {
        assertThat(WarehouseTimestamps.parseNaiveUtc("t", "2018-01-30 18:13:52"))
                .isEqualTo(Instant.parse("2018-01-30T18:13:52Z"));
        assertThat(WarehouseTimestamps.parseNaiveUtc("t", "2018-01-30T18:13:52.2"))
                .isEqualTo(Instant.parse("2018-01-30T18:13:52.2Z"));
        assertThat(WarehouseTimestamps.parseNaiveUtc("t", "2018-01-30 18:13:52.123456789"))
                .isEqualTo(Instant.parse("2018-01-30T18:13:52.123456789Z"));
    }

    @Test
    void offsetsInEveryAcceptedSpellingKeepTheOffset() {
        OffsetDateTime expected = OffsetDateTime.of(2018, 1, 30, 19, 13, 43, 383_000_000, ZoneOffset.ofHours(1));
        assertThat(WarehouseTimestamps.parseWithOffset("o", "2018-01-30T19:13:43.383+0100")).isEqualTo(expected);
        assertThat(WarehouseTimestamps.parseWithOffset("o", "2018-01-30T19:13:43.383+01:00")).isEqualTo(expected);
        assertThat(WarehouseTimestamps.parseWithOffset("o", "2018-01-30T18:13:43.383Z"))
                .isEqualTo(OffsetDateTime.of(2018, 1, 30, 18, 13, 43, 383_000_000, ZoneOffset.UTC));
        assertThat(WarehouseTimestamps.parseWithOffset("o", "2018-07-01T02:00:00-0530").getOffset())
                .isEqualTo(ZoneOffset.ofHoursMinutes(-5, -30));
        assertThat(WarehouseTimestamps.parseWithOffset("o", "2018-01-30T19:13:43+0200").getNano()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "2018-01-30", "18:13:52", "2018-01-30 18:13", "2018-01-30 18:13:52.",
            "2018-01-30 18:13:52.1234567890", "2018/01/30 18:13:52", "30.01.2018 18:13:52", "1517336032",
            "2018-01-30  18:13:52", " 2018-01-30 18:13:52", "2018-01-30 18:13:52 ", "2018-1-30 18:13:52",
            "2018-01-30T19:13:43.383+0100", "2018-01-30T18:13:43Z", "yesterday"})
    void naiveRefusesOtherFormatsNamingFieldAndRuleButNotTheValue(String text) {
        assertThatThrownBy(() -> WarehouseTimestamps.parseNaiveUtc("sent_at", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sent_at: " + WarehouseTimestamps.NAIVE_RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2018-01-30 18:13:52.221000", "2018-01-30T19:13:43.383", "2018-01-30 19:13:43+0100",
            "2018-01-30T19:13:43.383+01", "2018-01-30T19:13:43.383+1", "2018-01-30T19:13:43.383 +0100",
            "2018-01-30T19:13:43.383+01:00:00", "2018-01-30T19:13:43.383z", "2018-01-30T19:13:43.383UTC",
            "2018-01-30T19:13:43.383+01:00[Europe/Berlin]"})
    void withOffsetRefusesOtherFormatsNamingFieldAndRuleButNotTheValue(String text) {
        assertThatThrownBy(() -> WarehouseTimestamps.parseWithOffset("original_timestamp", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("original_timestamp: " + WarehouseTimestamps.OFFSET_RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2018-01-30", "1517336032", "2018-01-30T19:13:43.383+01", "Tue, 30 Jan 2018 18:13:52 GMT"})
    void eitherRefusesWhatIsNeitherFormat(String text) {
        assertThatThrownBy(() -> WarehouseTimestamps.parseInstant("timestamp", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp: " + WarehouseTimestamps.EITHER_RULE);
    }

    @Test
    void nullIsRefusedLikeAnyOtherText() {
        assertThatThrownBy(() -> WarehouseTimestamps.parseInstant("timestamp", null))
                .hasMessage("timestamp: " + WarehouseTimestamps.EITHER_RULE);
        assertThatThrownBy(() -> WarehouseTimestamps.parseNaiveUtc("timestamp", null))
                .hasMessage("timestamp: " + WarehouseTimestamps.NAIVE_RULE);
        assertThatThrownBy(() -> WarehouseTimestamps.parseWithOffset("timestamp", null))
                .hasMessage("timestamp: " + WarehouseTimestamps.OFFSET_RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2018-02-30 18:13:52", "2018-13-01 18:13:52", "2018-01-30 24:00:00", "2018-01-30 18:60:52",
            "2018-01-30T19:13:43.383+1900", "2018-01-30T19:13:43+01:60", "2019-02-29T10:00:00Z"})
    void wellShapedButImpossibleTimesAreRefusedWithoutTheValue(String text) {
        assertThatThrownBy(() -> WarehouseTimestamps.parseInstant("received_at", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("received_at: not a valid calendar date, time of day or offset");
    }

    /** Well-shaped times the warehouse cannot store: a load of them would fail their file at every run. */
    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01 00:00:00", "0000-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00",
            "9999-12-31T23:00:00-05:00"})
    void timesOutsideYearsOneToNineThousandNineHundredNinetyNineAreRefused(String text) {
        assertThatThrownBy(() -> WarehouseTimestamps.parseInstant("timestamp", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp: " + WarehouseTimestamps.RANGE_RULE);
    }

    @Test
    void theFirstAndLastStorableTimesAreKept() {
        assertThat(WarehouseTimestamps.parseInstant("timestamp", "0001-01-01 00:00:00"))
                .isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(WarehouseTimestamps.parseInstant("timestamp", "9999-12-31T23:59:59.999999999Z"))
                .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999999Z"));
    }

    /** The digit-by-digit reading agrees with the ISO formatters on well-shaped times, valid and impossible alike. */
    @Test
    void wellShapedTimesAreReadAsTheIsoFormattersReadThem() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            String date = String.format("%04d-%02d-%02d", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33));
            String time = String.format("%02d:%02d:%02d", random.nextInt(26), random.nextInt(62), random.nextInt(62));
            String fraction = random.nextBoolean() ? "" : "." + "123456789".substring(0, 1 + random.nextInt(9));
            String offset = switch (random.nextInt(3)) {
                case 0 -> "Z";
                case 1 -> String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(25),
                        random.nextInt(62));
                default -> String.format("%s%02d%02d", random.nextBoolean() ? "+" : "-", random.nextInt(25),
                        random.nextInt(62));
            };
            String naive = date + " " + time + fraction;
            Instant expectedNaive = iso(() -> LocalDateTime.parse(date + "T" + time + fraction,
                    java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
            assertThat(iso(() -> WarehouseTimestamps.parseNaiveUtc("t", naive))).as(naive).isEqualTo(expectedNaive);
            String withOffset = date + "T" + time + fraction + offset;
            String isoOffset = offset.length() == 5 ? offset.substring(0, 3) + ":" + offset.substring(3) : offset;
            Instant expectedOffset = iso(() -> OffsetDateTime.parse(date + "T" + time + fraction + isoOffset,
                    java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            assertThat(iso(() -> WarehouseTimestamps.parseWithOffset("t", withOffset).toInstant())).as(withOffset)
                    .isEqualTo(expectedOffset);
        }
    }

    /** The instant, or null when the text is refused (by the formatter or by the parser under test). */
    private static Instant iso(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (java.time.DateTimeException | IllegalArgumentException e) {
            return null;
        }
    }
}
