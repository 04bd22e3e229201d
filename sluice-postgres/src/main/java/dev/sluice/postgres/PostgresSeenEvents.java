package dev.sluice.postgres;

import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.dedupe.SeenEvents;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link SeenEvents} in a Postgres table (the lake's {@code lake_seen}): one row per stored event key with its
 * event time and the time it is remembered from (the later of event time and arrival). Lookups are one
 * {@code = ANY(?)} query per batch on the primary key; recording is idempotent ({@code ON CONFLICT DO NOTHING}) and
 * one statement per call; purging deletes by the remember_from index.
 *
 * <pre>{@code
 * db.migrate("db/lake", "sluice_history_lake", Map.of("seen_table", "lake_seen"));
 * SeenEvents seen = new PostgresSeenEvents(db.dataSource(), "lake_seen");
 * }</pre>
 */
public final class PostgresSeenEvents implements SeenEvents {

    private static final int FETCH_SIZE = 10_000;

    private final DataSource dataSource;
    private final String select;
    private final String insert;
    private final String delete;
    private final String since;
    /** The ledger's statements; null without a ledger. */
    private final Ledger ledger;

    /** The statements on the ledger table of the files being stored. */
    private record Ledger(String insert, String delete, String select) {
        Ledger(SqlIdentifier table) {
            this("INSERT INTO " + table.sql() + " (object_key) VALUES (?) ON CONFLICT (object_key) DO NOTHING",
                    "DELETE FROM " + table.sql() + " WHERE object_key = ?",
                    "SELECT object_key FROM " + table.sql());
        }
    }

    /** @param table optionally {@code schema.table}; must be a valid {@link SqlIdentifier} */
    public PostgresSeenEvents(DataSource dataSource, String table) {
        this(dataSource, table, null);
    }

    /**
     * With a ledger of the files being stored ({@link #storing}), in {@code ledgerTable} (its DDL: the seen-events
     * migration's V2); null for none.
     */
    public PostgresSeenEvents(DataSource dataSource, String table, String ledgerTable) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.ledger = ledgerTable == null ? null : new Ledger(SqlIdentifier.table(ledgerTable));
        String t = SqlIdentifier.table(table).sql();
        this.select = "SELECT event_key FROM " + t + " WHERE event_key = ANY(?)";
        this.insert = "INSERT INTO " + t + " (event_key, event_time, remember_from)"
                + " SELECT k, t::timestamptz, greatest(t::timestamptz, ?) FROM unnest(?::text[], ?::text[]) AS u(k, t)"
                + " ON CONFLICT (event_key) DO NOTHING";
        this.delete = "DELETE FROM " + t + " WHERE remember_from < ?";
        this.since = "SELECT event_key, event_time FROM " + t + " WHERE remember_from >= ?";
    }

    /** The DDL of a table this store works on, for a pipeline's migration or a test. */
    public static String createTableSql(String table) {
        SqlIdentifier t = SqlIdentifier.table(table);
        return "CREATE TABLE " + t.sql() + " (\n"
                + "    event_key  text        PRIMARY KEY,\n"
                + "    event_time    timestamptz NOT NULL,\n"
                + "    remember_from timestamptz NOT NULL\n"
                + ");\n"
                + "CREATE INDEX " + SqlIdentifier.column(t.name() + "_remember_from").sql() + " ON " + t.sql()
                + " (remember_from)";
    }

    @Override
    public Set<String> recorded(Collection<String> keys) throws SQLException {
        return KeyLookup.found(dataSource, select, keys);
    }

    @Override
    public void record(Collection<SeenEvent> events, Instant now) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            insert(c, events, now);
        }
    }

    /** Records the events and drops the object's ledger row in one transaction: either both happen or neither. */
    @Override
    public void record(Collection<SeenEvent> events, Instant now, String object) throws SQLException {
        if (ledger == null) {
            record(events, now);
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (!events.isEmpty()) {
                    insert(c, events, now);
                }
                update(c, ledger.delete(), object);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    @Override
    public void storing(String object) throws SQLException {
        if (ledger != null) {
            try (Connection c = dataSource.getConnection()) {
                update(c, ledger.insert(), object);
            }
        }
    }

    @Override
    public void settled(String object) throws SQLException {
        if (ledger != null) {
            try (Connection c = dataSource.getConnection()) {
                update(c, ledger.delete(), object);
            }
        }
    }

    @Override
    public Set<String> unsettled() throws SQLException {
        Set<String> objects = new HashSet<>();
        if (ledger != null) {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ledger.select());
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    objects.add(rs.getString(1));
                }
            }
        }
        return objects;
    }

    private static void update(Connection c, String sql, String object) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, object);
            s.executeUpdate();
        }
    }

    private void insert(Connection c, Collection<SeenEvent> events, Instant now) throws SQLException {
        String[] keys = new String[events.size()];
        String[] times = new String[events.size()];
        int i = 0;
        for (SeenEvent e : events) {
            keys[i] = e.key();
            times[i] = e.eventTime().toString();
            i++;
        }
        try (PreparedStatement s = c.prepareStatement(insert)) {
            s.setObject(1, now.atOffset(ZoneOffset.UTC));
            s.setArray(2, c.createArrayOf("text", keys));
            s.setArray(3, c.createArrayOf("text", times));
            s.executeUpdate();
        }
    }

    @Override
    public long forgetBefore(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(delete)) {
            s.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            return s.executeLargeUpdate();
        }
    }

    @Override
    public void forEachSince(Instant from, Consumer<SeenEvent> action) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // A cursor (fetch size without autocommit) streams the rows instead of holding them all.
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(since)) {
                s.setFetchSize(FETCH_SIZE);
                s.setObject(1, from.atOffset(ZoneOffset.UTC));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        action.accept(new SeenEvent(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
