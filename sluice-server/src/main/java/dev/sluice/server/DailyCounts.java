package dev.sluice.server;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How often one report event happened per UTC day and platform, as the tracking charts job counted it at
 * {@code generatedAt}: what a chart shows and what {@code GET /api/tracking/daily} serves.
 *
 * @param event       the event name, matching {@value #EVENT_RULE} (it is part of object keys and URLs)
 * @param generatedAt when the counts were taken
 * @param days        one entry per day of the report's window (at least one), oldest first, days without events
 *                    included
 */
public record DailyCounts(String event, Instant generatedAt, List<Day> days) {

    /** What an event name must match. */
    public static final String EVENT_RULE = "[a-z0-9_]+";
    private static final Pattern EVENT = Pattern.compile(EVENT_RULE);

    public DailyCounts {
        requireValidEvent(event);
        Objects.requireNonNull(generatedAt, "generatedAt");
        days = List.copyOf(days);
        if (days.isEmpty()) {
            throw new IllegalArgumentException("daily counts of " + event + " need at least one day");
        }
    }

    /**
     * Returns {@code event} when it matches {@value #EVENT_RULE}.
     *
     * @throws IllegalArgumentException naming the event and the rule otherwise
     */
    public static String requireValidEvent(String event) {
        if (event == null || !EVENT.matcher(event).matches()) {
            throw new IllegalArgumentException("report event '" + event + "' is not a valid event name: it must "
                    + "match " + EVENT_RULE + " (lowercase letters, digits, underscores), as it becomes part of "
                    + "object keys and URLs");
        }
        return event;
    }

    /** Whether {@code event} matches {@value #EVENT_RULE}. */
    public static boolean isValidEvent(String event) {
        return event != null && EVENT.matcher(event).matches();
    }

    /** The counts of one UTC day: {@code context_device_type} lower-cased, anything but android and ios is other. */
    public record Day(LocalDate day, long android, long ios, long other) {
        public Day {
            Objects.requireNonNull(day, "day");
            if (android < 0 || ios < 0 || other < 0) {
                throw new IllegalArgumentException("counts cannot be negative: " + day);
            }
        }
    }
}
