package dev.sluice.pipelines.dailycounts;

import dev.sluice.postgres.SqlIdentifier;

import java.util.HashSet;
import java.util.List;

/**
 * The {@code daily_counts} job: per event, the rows of {@code table} per UTC day and group of {@code field}, drawn
 * as a PNG chart and stored with its numbers in {@code bucket} (docs/plugins/daily_counts.md).
 *
 * @param bucket      where the charts go (required)
 * @param prefix      their folder (default {@value #DEFAULT_PREFIX}); a chart goes to
 *                    {@code <prefix><event>/<yyyyMMdd-HHmmss>.png}, its numbers next to it as {@code .json}; ends
 *                    with {@code /}, does not start with one
 * @param table       the warehouse table counted (required)
 * @param field       the column whose lower-cased value names the group (required)
 * @param groups      the named groups, in chart order (required, at least one); each matches
 *                    {@value DailyCounts#EVENT_RULE} and is not {@code day} or {@value DailyCounts#OTHER}; every other
 *                    value counts as {@value DailyCounts#OTHER}
 * @param events      the events charted (required, at least one); each matches {@value DailyCounts#EVENT_RULE}, as it
 *                    becomes part of object keys and URLs; no repeats
 * @param eventColumn the column holding the event name (default {@code event})
 * @param timeColumn  the naive UTC time column whose date is the day (default {@code timestamp})
 * @param days        how many UTC days a chart shows, today included (default 30); 1 to 366
 */
public record DailyCountsSettings(String bucket, String prefix, String table, String field, List<String> groups,
                                  List<String> events, String eventColumn, String timeColumn, Integer days) {

    public static final String DEFAULT_PREFIX = "reports/";

    public DailyCountsSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket is required: where the charts are stored");
        }
        prefix = checkedPrefix(prefix);
        if (table == null) {
            throw new IllegalArgumentException("table is required: the warehouse table counted");
        }
        SqlIdentifier.table(table);
        if (field == null) {
            throw new IllegalArgumentException("field is required: the column whose value names the group");
        }
        SqlIdentifier.column(field);
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException("groups is required: the values of " + field + " counted apart"
                    + " (the others are counted as other)");
        }
        groups = List.copyOf(groups);
        for (String group : groups) {
            if (!DailyCounts.isValidEvent(group) || group.equals("day") || group.equals(DailyCounts.OTHER)) {
                throw new IllegalArgumentException("group '" + group + "' must match " + DailyCounts.EVENT_RULE
                        + " and not be day or other");
            }
        }
        noRepeats("groups", groups);
        events = checkedEvents(events);
        eventColumn = SqlIdentifier.column(eventColumn == null ? "event" : eventColumn).name();
        timeColumn = SqlIdentifier.column(timeColumn == null ? "timestamp" : timeColumn).name();
        days = days == null ? 30 : days;
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("days must be 1 to 366, got " + days);
        }
    }

    /** The folder of {@code event}'s charts: {@code <prefix><event>/}. */
    String folder(String event) {
        return folder(prefix, event);
    }

    static String folder(String prefix, String event) {
        return prefix + DailyCounts.requireValidEvent(event) + "/";
    }

    /** {@code prefix}, or the default when null; a folder not starting with {@code /}. */
    static String checkedPrefix(String prefix) {
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
        if (prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must be a folder such as " + DEFAULT_PREFIX
                    + " (ending with / and not starting with one), got '" + prefix + "'");
        }
        return prefix;
    }

    /** At least one event, each a valid name, no repeats. */
    static List<String> checkedEvents(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("events must name at least one report event");
        }
        events.forEach(DailyCounts::requireValidEvent);
        noRepeats("events", events);
        return List.copyOf(events);
    }

    private static void noRepeats(String key, List<String> names) {
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException(key + " must not repeat a name, got " + names);
        }
    }
}
