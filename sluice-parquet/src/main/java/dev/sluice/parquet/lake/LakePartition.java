package dev.sluice.parquet.lake;

import java.util.Locale;

/**
 * A directory of the lake, hive style: {@code year=YYYY/month=MM/day=DD/event_type=T/}, zero-padded, by event time
 * in UTC. The partition values live only in the path, not in the files, so DuckDB's {@code hive_partitioning} and
 * Athena partitions read them as columns.
 */
public record LakePartition(int year, int month, int day, String eventType) {

    /** What {@link #isSafeEventType} accepts, for error messages. */
    public static final String EVENT_TYPE_RULE = "1 to 128 characters of letters, digits, '_' or '-'";

    public LakePartition {
        if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
            throw new IllegalArgumentException("not a date: " + year + "-" + month + "-" + day);
        }
        if (!isSafeEventType(eventType)) {
            throw new IllegalArgumentException("eventType must be " + EVENT_TYPE_RULE);
        }
    }

    /**
     * Whether {@code eventType} may name a directory: no '/', '=', '.', space or anything a store or a query
     * engine would escape, so the path reads back as the same value everywhere.
     */
    public static boolean isSafeEventType(String eventType) {
        // A loop rather than a regex: this runs for every event.
        if (eventType == null || eventType.isEmpty() || eventType.length() > 128) {
            return false;
        }
        for (int i = 0; i < eventType.length(); i++) {
            char c = eventType.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code year=2026/month=01/day=05/event_type=account/} */
    public String path() {
        return String.format(Locale.ROOT, "year=%04d/month=%02d/day=%02d/event_type=%s/", year, month, day, eventType);
    }
}
