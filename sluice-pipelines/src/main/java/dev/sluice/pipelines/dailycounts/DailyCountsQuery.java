package dev.sluice.pipelines.dailycounts;

import dev.sluice.postgres.SqlIdentifier;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often an event happened per UTC day and group in a warehouse table: one query, grouped by the database, over
 * the time column (naive UTC, so its date is the UTC day); the field is compared lower-cased, and any value that is
 * not a named group (null included) counts as {@value DailyCounts#OTHER}. Names are validated identifiers; the event
 * and the window are bound parameters.
 *
 * <pre>{@code
 * DailyCountsQuery counts = new DailyCountsQuery(db.dataSource(), settings);
 * DailyCounts last30 = counts.count("submission_success", today.minusDays(29), today, clock.instant());
 * }</pre>
 */
public final class DailyCountsQuery {

    private final DataSource warehouse;
    private final List<String> groups;
    private final String sql;

    public DailyCountsQuery(DataSource warehouse, DailyCountsSettings settings) {
        this.warehouse = warehouse;
        this.groups = settings.groups();
        String time = SqlIdentifier.column(settings.timeColumn()).sql();
        this.sql = """
                SELECT CAST(%s AS date) AS day, lower(%s) AS value, count(*) AS events
                FROM %s
                WHERE %s = ? AND %s >= ? AND %s < ?
                GROUP BY 1, 2""".formatted(time, SqlIdentifier.column(settings.field()).sql(),
                SqlIdentifier.table(settings.table()).sql(), SqlIdentifier.column(settings.eventColumn()).sql(),
                time, time);
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
        Map<LocalDate, Map<String, Long>> byDay = new TreeMap<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            Map<String, Long> counts = new LinkedHashMap<>();
            groups.forEach(group -> counts.put(group, 0L));
            counts.put(DailyCounts.OTHER, 0L);
            byDay.put(day, counts);
        }
        try (Connection c = warehouse.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, event);
            query.setObject(2, first.atStartOfDay());
            query.setObject(3, last.plusDays(1).atStartOfDay());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String value = rs.getString("value");
                    String group = value != null && groups.contains(value) ? value
                            : DailyCounts.OTHER;
                    byDay.get(rs.getObject("day", LocalDate.class)).merge(group, rs.getLong("events"), Long::sum);
                }
            }
        }
        List<DailyCounts.Day> days = new ArrayList<>();
        byDay.forEach((day, counts) -> days.add(new DailyCounts.Day(day, counts)));
        return new DailyCounts(event, generatedAt, days);
    }
}
