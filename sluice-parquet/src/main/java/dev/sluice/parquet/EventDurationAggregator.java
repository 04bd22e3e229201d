package dev.sluice.parquet;

import dev.sluice.parquet.totals.Aggregation;
import dev.sluice.parquet.totals.FileTotals;
import dev.sluice.parquet.totals.NullRows;
import dev.sluice.parquet.totals.TotalsAggregator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * SUM(EventDuration) per (UserID, EventType) over a whole file of event durations ({@link EventDurationFileWriter}'s
 * columns): the group-by/sum {@link TotalsAggregator} with group-by {@code UserID, EventType} and sum
 * {@code EventDuration} in seconds, with the totals as a sorted map, for tests, benchmarks and tools that check what
 * a {@code parquet_totals} sink over such files counted.
 *
 * <pre>{@code
 * EventDurationTotals totals = new EventDurationAggregator(EventDurationAggregator.Rules.DEFAULTS).aggregate(file);
 * }</pre>
 */
public final class EventDurationAggregator {

    /**
     * The rules a file must meet.
     *
     * @param nullRows           null handling (default {@link NullRows#REJECT})
     * @param maxEventDuration   largest EventDuration of one row in seconds (default 86,400: one day); larger is absurd
     * @param maxUsers           most distinct users in one file (default 500,000), bounding memory and the size of the
     *                           one write that applies the file
     */
    public record Rules(NullRows nullRows, Long maxEventDuration, Integer maxUsers) {
        public static final Rules DEFAULTS = new Rules(null, null, null);

        public Rules {
            nullRows = nullRows == null ? NullRows.REJECT : nullRows;
            maxEventDuration = maxEventDuration == null ? 86_400L : maxEventDuration;
            maxUsers = maxUsers == null ? Aggregation.DEFAULT_MAX_GROUPS : maxUsers;
            if (maxEventDuration < 0) {
                throw new IllegalArgumentException("maxEventDuration must not be negative, was " + maxEventDuration);
            }
            if (maxUsers < 1) {
                throw new IllegalArgumentException("maxUsers must be at least 1, was " + maxUsers);
            }
        }

        /** These rules as a totals aggregation of the event durations' columns. */
        public Aggregation aggregation() {
            return new Aggregation(List.of("UserID", "EventType"), List.of("EventDuration"), nullRows,
                    maxEventDuration, maxUsers, "seconds");
        }
    }

    private final TotalsAggregator aggregator;

    public EventDurationAggregator(Rules rules) {
        this.aggregator = new TotalsAggregator(rules.aggregation());
    }

    /**
     * @throws BadParquetFileException the file is not a Parquet file of event durations or a row breaks a rule
     * @throws IOException             the file could not be read
     */
    public EventDurationTotals aggregate(Path file) throws IOException {
        FileTotals totals = aggregator.aggregate(file);
        SortedMap<String, Map<String, Long>> perUser = new TreeMap<>();
        totals.perGroup().forEach((user, byType) -> {
            Map<String, Long> seconds = new TreeMap<>();
            byType.forEach((type, sums) -> seconds.put(type, sums[0]));
            perUser.put(user, seconds);
        });
        return new EventDurationTotals(perUser, totals.rows(), totals.skippedNullRows(), totals.rowGroups());
    }
}
