package dev.sluice.pipelines.dailycounts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How often one event happened per UTC day and group (a field's value, lower-cased, the others counted as
 * {@value #OTHER}), as the {@code daily_counts} job counted it at {@code generatedAt}: what a chart shows and what the
 * {@code daily_counts} routes serve.
 *
 * @param event       the event name, matching {@value #EVENT_RULE} (it is part of object keys and URLs)
 * @param generatedAt when the counts were taken
 * @param days        one entry per day of the report's window (at least one), oldest first, days without events
 *                    included; every day has the same groups in the same order
 */
public record DailyCounts(String event, Instant generatedAt, List<Day> days) {

    /** What an event or group name must match. */
    public static final String EVENT_RULE = "[a-z0-9_]+";
    /** The group of every value that is not one of the named groups. */
    public static final String OTHER = "other";
    private static final Pattern EVENT = Pattern.compile(EVENT_RULE);

    public DailyCounts {
        requireValidEvent(event);
        Objects.requireNonNull(generatedAt, "generatedAt");
        days = List.copyOf(days);
        if (days.isEmpty()) {
            throw new IllegalArgumentException("daily counts of " + event + " need at least one day");
        }
        List<String> groups = days.getFirst().groups();
        for (Day day : days) {
            if (!day.groups().equals(groups)) {
                throw new IllegalArgumentException("daily counts of " + event + ": " + day.day() + " has the groups "
                        + day.groups() + ", the first day " + groups);
            }
        }
    }

    /** The groups of every day, in order. */
    public List<String> groups() {
        return days.getFirst().groups();
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

    /** The counts of one UTC day, by group in order. */
    public record Day(LocalDate day, Map<String, Long> counts) {
        public Day {
            Objects.requireNonNull(day, "day");
            if (counts.isEmpty()) {
                throw new IllegalArgumentException("counts of " + day + " need at least one group");
            }
            counts.forEach((group, count) -> {
                if (count == null || count < 0) {
                    throw new IllegalArgumentException("counts cannot be negative: " + day + " " + group);
                }
            });
            counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }

        public List<String> groups() {
            return List.copyOf(counts.keySet());
        }

        /** The count of {@code group}; 0 for a group the day does not have. */
        public long count(String group) {
            return counts.getOrDefault(group, 0L);
        }

        /** Every group's count added up. */
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
