package dev.sluice.pipelines.tracking;

import dev.sluice.postgres.SqlIdentifier;
import dev.sluice.server.DailyCounts;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often an event happened per UTC day and platform in the warehouse table {@code events}: one query, grouped by
 * the database, over the sort-key index on {@code timestamp}. {@code timestamp} is naive UTC, so its date is the UTC
 * day; {@code context_device_type} is compared lower-cased, and anything but android and ios counts as other.
 *
 * <pre>{@code
 * DailyEventCounts counts = new DailyEventCounts(db.dataSource(), "events");
 * DailyCounts last30 = counts.count("submission_success", today.minusDays(29), today, clock.instant());
 * }</pre>
 */
public final class DailyEventCounts {

    private final DataSource warehouse;
    private final String sql;

    /** @param table the events table, a plain identifier ({@link SqlIdentifier#table}) */
    public DailyEventCounts(DataSource warehouse, String table) {
        this.warehouse = warehouse;
        this.sql = """
                SELECT CAST("timestamp" AS date) AS day,
                       CASE lower(context_device_type) WHEN 'android' THEN 'android' WHEN 'ios' THEN 'ios'
                            ELSE 'other' END AS platform,
                       count(*) AS events
                FROM %s
                WHERE event = ? AND "timestamp" >= ? AND "timestamp" < ?
                GROUP BY 1, 2""".formatted(SqlIdentifier.table(table).sql());
    }

    /**
     * The counts of {@code event} for every day from {@code first} to {@code last} (both included), days without
     * events as zeros.
     */
    public DailyCounts count(String event, LocalDate first, LocalDate last, Instant generatedAt) throws SQLException {
        DailyCounts.requireValidEvent(event);
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("the last day " + last + " is before the first " + first);
        }
        Map<LocalDate, long[]> byDay = new TreeMap<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            byDay.put(day, new long[3]);
        }
        try (Connection c = warehouse.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, event);
            query.setObject(2, first.atStartOfDay());
            query.setObject(3, last.plusDays(1).atStartOfDay());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    long[] counts = byDay.get(rs.getObject("day", LocalDate.class));
                    counts[switch (rs.getString("platform")) {
                        case "android" -> 0;
                        case "ios" -> 1;
                        default -> 2;
                    }] = rs.getLong("events");
                }
            }
        }
        List<DailyCounts.Day> days = new ArrayList<>();
        byDay.forEach((day, c) -> days.add(new DailyCounts.Day(day, c[0], c[1], c[2])));
        return new DailyCounts(event, generatedAt, days);
    }
}
