package dev.sluice.pipelines.warehouse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two timestamp formats a raw line may hold (the tracking events have both), parsed strictly. Errors name the field and the rule, never the value.
 *
 * <ul>
 *   <li>naive UTC: {@code 2018-01-30 18:13:52.221000}, 0 to 9 fraction digits, a space or {@code T} between date
 *       and time ({@code timestamp}, {@code sent_at}, {@code received_at} in the fixture);</li>
 *   <li>ISO 8601 with an offset: {@code 2018-01-30T19:13:43.383+0100}, {@code +01:00} or {@code Z}
 *       ({@code original_timestamp} in the fixture).</li>
 * </ul>
 *
 * <pre>{@code
 * Instant timestamp = WarehouseTimestamps.parseNaiveUtc("timestamp", "2018-01-30 18:13:43.627000");
 * OffsetDateTime original = WarehouseTimestamps.parseWithOffset("original_timestamp", "2018-01-30T19:13:43.383+0100");
 * Instant either = WarehouseTimestamps.parseInstant("sent_at", text); // accepts both formats
 * }</pre>
 */
public final class WarehouseTimestamps {

    public static final String NAIVE_RULE = "expected naive UTC time 'YYYY-MM-DD HH:MM:SS[.fraction]' (0-9 fraction digits, space or T)";
    public static final String OFFSET_RULE = "expected ISO 8601 time with offset 'YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|+HHMM)'";
    public static final String RANGE_RULE = "expected a time in UTC years 0001 to 9999";
    private static final Instant FIRST_STORABLE = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant PAST_LAST_STORABLE = Instant.parse("+10000-01-01T00:00:00Z");
    public static final String EITHER_RULE = "expected naive UTC time 'YYYY-MM-DD HH:MM:SS[.fraction]' or ISO 8601 with offset 'YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|+HHMM)'";

    private static final String DATE_TIME = "(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)";
    private static final Pattern NAIVE = Pattern.compile(DATE_TIME);
    private static final Pattern WITH_OFFSET = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})T(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(Z|[+-]\\d{2}:?\\d{2})");

    private WarehouseTimestamps() {
    }

    /** A naive UTC time as an instant; {@link IllegalArgumentException} naming {@code field} when it is not one. */
    public static Instant parseNaiveUtc(String field, String text) {
        Matcher m = matcher(NAIVE, text);
        if (m == null) {
            throw new IllegalArgumentException(field + ": " + NAIVE_RULE);
        }
        return naive(field, m).toInstant(ZoneOffset.UTC);
    }

    /** An ISO 8601 time with its offset kept; {@link IllegalArgumentException} naming {@code field} otherwise. */
    public static OffsetDateTime parseWithOffset(String field, String text) {
        Matcher m = matcher(WITH_OFFSET, text);
        if (m == null) {
            throw new IllegalArgumentException(field + ": " + OFFSET_RULE);
        }
        return withOffset(field, m);
    }

    /** Either format as an instant (a naive time is UTC); {@link IllegalArgumentException} naming {@code field} otherwise. */
    public static Instant parseInstant(String field, String text) {
        Matcher naive = matcher(NAIVE, text);
        if (naive != null) {
            return inWarehouseRange(field, naive(field, naive).toInstant(ZoneOffset.UTC));
        }
        Matcher offset = matcher(WITH_OFFSET, text);
        if (offset != null) {
            return inWarehouseRange(field, withOffset(field, offset).toInstant());
        }
        throw new IllegalArgumentException(field + ": " + EITHER_RULE);
    }

    /**
     * Year 0 is well-shaped but PostgreSQL refuses it, and one such value would fail its whole file's load at every
     * run; an offset can also carry 9999-12-31 into year 10000, which the loader cannot write as text.
     */
    private static Instant inWarehouseRange(String field, Instant instant) {
        if (instant.isBefore(FIRST_STORABLE) || !instant.isBefore(PAST_LAST_STORABLE)) {
            throw new IllegalArgumentException(field + ": " + RANGE_RULE);
        }
        return instant;
    }

    private static Matcher matcher(Pattern pattern, String text) {
        if (text == null) {
            return null;
        }
        Matcher m = pattern.matcher(text);
        return m.matches() ? m : null;
    }

    private static LocalDateTime naive(String field, Matcher m) {
        try {
            return localDateTime(m);
        } catch (DateTimeException e) {
            throw notOnCalendar(field);
        }
    }

    private static OffsetDateTime withOffset(String field, Matcher m) {
        try {
            return OffsetDateTime.of(localDateTime(m), offset(m.group(3)));
        } catch (DateTimeException e) {
            throw notOnCalendar(field);
        }
    }

    /**
     * The date and time the pattern matched, read digit by digit: the pattern has fixed the shape, so only the
     * calendar is left to check, which {@link LocalDateTime#of} does as strictly as the ISO formatter (no February
     * 30th, no 24:00, no second 60), at a fraction of a formatter's cost per value.
     */
    private static LocalDateTime localDateTime(Matcher m) {
        CharSequence text = m.group(0);
        int date = m.start(1) - m.start();
        int time = m.start(2) - m.start();
        int fractionEnd = m.end(2) - m.start();
        int nanos = 0;
        for (int i = 0, digit = time + 9; i < 9; i++, digit++) {
            nanos = nanos * 10 + (digit < fractionEnd ? text.charAt(digit) - '0' : 0);
        }
        return LocalDateTime.of(number(text, date, 4), number(text, date + 5, 2), number(text, date + 8, 2),
                number(text, time, 2), number(text, time + 3, 2), number(text, time + 6, 2), nanos);
    }

    /** {@code Z}, {@code +HH:MM} or {@code +HHMM}: hours to 23 and minutes to 59 as ISO reads them, within ±18:00. */
    private static ZoneOffset offset(String text) {
        if (text.equals("Z")) {
            return ZoneOffset.UTC;
        }
        int hours = number(text, 1, 2);
        int minutes = number(text, text.length() - 2, 2);
        if (hours > 23 || minutes > 59) {
            throw new DateTimeException("offset out of range");
        }
        int seconds = hours * 3600 + minutes * 60;
        return ZoneOffset.ofTotalSeconds(text.charAt(0) == '-' ? -seconds : seconds);
    }

    /** The ASCII digits at {@code start} (the pattern's {@code \d} is ASCII only). */
    private static int number(CharSequence text, int start, int digits) {
        int value = 0;
        for (int i = start; i < start + digits; i++) {
            value = value * 10 + text.charAt(i) - '0';
        }
        return value;
    }

    /** The parser's message quotes the text, so neither it nor the parser's exception is passed on. */
    private static IllegalArgumentException notOnCalendar(String field) {
        return new IllegalArgumentException(field + ": not a valid calendar date, time of day or offset");
    }
}
