package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void readsIsoWithAnOffsetInEveryFormAndWithoutOneAsUtc() {
        OffsetDateTime utc = OffsetDateTime.parse("2026-01-30T18:13:43.383Z");
        assertThat(Timestamps.parse("2026-01-30T19:13:43.383+01:00")).contains(utc);
        assertThat(Timestamps.parse("2026-01-30T19:13:43.383+0100")).contains(utc);
        assertThat(Timestamps.parse("2026-01-30T18:13:43.383Z")).contains(utc);
        assertThat(Timestamps.parse("2026-01-30 18:13:43.383000")).contains(utc);
        assertThat(Timestamps.parse("2026-01-30T18:13:43.383")).contains(utc);
        assertThat(Timestamps.parse("2024-02-29T00:00:00.123456789Z")).hasValueSatisfying(
                ts -> assertThat(ts.getNano()).isEqualTo(123_456_789));
    }

    @Test
    void refusesOtherShapesImpossibleTimesAndYearsOutsideOneToNineThousandNineHundredNinetyNine() {
        assertThat(Timestamps.problem("2026-01-30")).contains(Timestamps.TIMESTAMP_RULE);
        assertThat(Timestamps.problem("2026-01-30T18:13Z")).contains(Timestamps.TIMESTAMP_RULE);
        assertThat(Timestamps.problem("1769796823")).contains(Timestamps.TIMESTAMP_RULE);
        assertThat(Timestamps.problem("2026-02-29T00:00:00Z"))
                .contains("not a valid calendar date, time of day or offset");
        assertThat(Timestamps.problem("2026-01-30T24:00:00Z"))
                .contains("not a valid calendar date, time of day or offset");
        assertThat(Timestamps.problem("2026-01-30T10:00:00+19:00"))
                .contains("not a valid calendar date, time of day or offset");
        assertThat(Timestamps.problem("0000-12-31T23:59:59Z")).contains(Timestamps.RANGE_RULE);
        assertThat(Timestamps.problem("9999-12-31T23:30:00-01:00")).contains(Timestamps.RANGE_RULE);
        assertThat(Timestamps.problem("2026-01-30T18:13:43Z")).isEmpty();
    }

    @Test
    void epochMillisecondsWithinTheStorableYears() {
        assertThat(Timestamps.ofEpochMillis(0)).contains(OffsetDateTime.parse("1970-01-01T00:00:00Z"));
        assertThat(Timestamps.ofEpochMillis(Long.MAX_VALUE)).isEmpty();
        assertThat(Timestamps.ofEpochMillis(-62_135_596_800_001L)).isEmpty();
    }

    @Test
    void datesAreYearMonthDayOnTheCalendar() {
        assertThat(Timestamps.parseDate("2024-02-29")).contains(LocalDate.of(2024, 2, 29));
        assertThat(Timestamps.parseDate("2026-02-29")).isEmpty();
        assertThat(Timestamps.parseDate("0000-01-01")).isEmpty();
        assertThat(Timestamps.parseDate("2026-1-5")).isEmpty();
        assertThat(Timestamps.parseDate("2026-01-05T00:00:00Z")).isEmpty();
    }
}
