package dev.sluice.core.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms a schema accepts for {@link FieldType#TIMESTAMP} and {@link FieldType#DATE} fields and for
 * {@code format: timestamp}, read strictly (no February 30th, no hour 24) and never echoed in errors.
 *
 * <ul>
 *   <li>ISO 8601 with an offset: {@code 2026-01-30T19:13:43.383+01:00}, {@code +0100} or {@code Z};</li>
 *   <li>a time without an offset, read as UTC: {@code 2026-01-30 18:13:52.221000} (a space or {@code T}), the form
 *       the tracking events' {@code timestamp} has;</li>
 *   <li>0 to 9 fraction digits; the instant must fall in UTC years 0001 to 9999, which every SQL database and
 *       Parquet writer can store.</li>
 * </ul>
 * Numbers are not text: a schema's timestamp field takes a JSON integer as epoch milliseconds itself.
 */
public final class Timestamps {

    public static final String TIMESTAMP_RULE = "expected an ISO 8601 time 'YYYY-MM-DDTHH:MM:SS[.fraction]' with an"
            + " offset (Z, +HH:MM) or without one (UTC)";
    public static final String RANGE_RULE = "expected a time in UTC years 0001 to 9999";
    public static final String DATE_RULE = "expected a date 'YYYY-MM-DD'";

    /** Schema format for string fields that must hold a timestamp (kept as text). */
    public static final FieldFormat FORMAT = Timestamps::problem;

    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant PAST_LAST = Instant.parse("+10000-01-01T00:00:00Z");

    private Timestamps() {
    }

    /** The instant {@code text} names, at offset zero; empty when it breaks a rule ({@link #problem} says which). */
    public static Optional<OffsetDateTime> parse(String text) {
        return Optional.ofNullable(read(text).value());
    }

    /** The timestamp {@code millis} after the epoch, at offset zero; empty outside years 0001 to 9999. */
    public static Optional<OffsetDateTime> ofEpochMillis(long millis) {
        return Optional.ofNullable(inRange(Instant.ofEpochMilli(millis)).value());
    }

    /** The rule {@code text} breaks, without quoting it; empty when it is a timestamp. */
    public static Optional<String> problem(String text) {
        return Optional.ofNullable(read(text).problem());
    }

    /** The date {@code text} names; empty when it is not a valid {@code YYYY-MM-DD} from 0001 on. */
    public static Optional<LocalDate> parseDate(String text) {
        if (!DATE.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
            return date.getYear() < 1 ? Optional.empty() : Optional.of(date);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** A timestamp or the rule its text breaks. */
    private record Read(OffsetDateTime value, String problem) {
    }

    private static Read read(String text) {
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches()) {
            return new Read(null, TIMESTAMP_RULE);
        }
        Instant instant;
        try {
            LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2),
                    DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            instant = local.atOffset(m.group(3) == null ? ZoneOffset.UTC : ZoneOffset.of(m.group(3))).toInstant();
        } catch (DateTimeException e) {
            // the parser's own message quotes the text, so only the rule is passed on
            return new Read(null, "not a valid calendar date, time of day or offset");
        }
        return inRange(instant);
    }

    private static Read inRange(Instant instant) {
        if (instant.isBefore(FIRST) || !instant.isBefore(PAST_LAST)) {
            return new Read(null, RANGE_RULE);
        }
        return new Read(instant.atOffset(ZoneOffset.UTC), null);
    }
}
