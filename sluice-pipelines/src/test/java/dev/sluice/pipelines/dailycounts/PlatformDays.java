package dev.sluice.pipelines.dailycounts;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** Days of the tracking charts' groups (android, ios, other), as the tests write them. */
public final class PlatformDays {

    private PlatformDays() {
    }

    public static DailyCounts.Day day(LocalDate day, long android, long ios, long other) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("android", android);
        counts.put("ios", ios);
        counts.put(DailyCounts.OTHER, other);
        return new DailyCounts.Day(day, counts);
    }
}
