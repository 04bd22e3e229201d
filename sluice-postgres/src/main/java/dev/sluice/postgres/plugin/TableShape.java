package dev.sluice.postgres.plugin;

import dev.sluice.postgres.SqlIdentifier;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an existing table looks like, read from the catalog at start, so a sink can refuse a table it would fail on
 * at its first write (a missing column, a column too short for its field, no unique index for ON CONFLICT) with an
 * error at the setting at fault instead of a stopped pipeline.
 *
 * @param columns    by name, in table order
 * @param uniqueKeys the column sets of the unique, non-partial indexes (what {@code ON CONFLICT (…)} can use)
 */
record TableShape(Map<String, Column> columns, List<Set<String>> uniqueKeys) {

    /**
     * @param type      as information_schema names it ({@code character varying}, {@code bigint})
     * @param maxLength the declared length of a varchar(n) or char(n); empty for other types and unbounded varchar
     */
    record Column(String name, String type, Optional<Integer> maxLength) {
        String describe() {
            return maxLength.map(n -> type + "(" + n + ")").orElse(type);
        }
    }

    private static final String COLUMNS = "SELECT column_name, data_type, character_maximum_length"
            + " FROM information_schema.columns WHERE table_schema = COALESCE(?, current_schema()) AND table_name = ?"
            + " ORDER BY ordinal_position";
    private static final String UNIQUE_KEYS = "SELECT array_agg(a.attname::text) FROM pg_index i"
            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            + " WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indpred IS NULL GROUP BY i.indexrelid";

    /** The shape of {@code table}, or empty when there is no such table. */
    static Optional<TableShape> read(DataSource dataSource, SqlIdentifier table) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Column> columns = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
                statement.setString(1, table.schema());
                statement.setString(2, table.name());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        int length = rows.getInt(3);
                        Optional<Integer> maxLength = rows.wasNull() ? Optional.empty() : Optional.of(length);
                        columns.put(rows.getString(1), new Column(rows.getString(1), rows.getString(2), maxLength));
                    }
                }
            }
            if (columns.isEmpty()) {
                return Optional.empty();
            }
            List<Set<String>> uniqueKeys = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(UNIQUE_KEYS)) {
                statement.setString(1, table.sql());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Array names = rows.getArray(1);
                        uniqueKeys.add(new HashSet<>(List.of((String[]) names.getArray())));
                    }
                }
            }
            return Optional.of(new TableShape(columns, uniqueKeys));
        }
    }

    /** Runs one DDL statement, such as a {@code CREATE TABLE IF NOT EXISTS}. */
    static void execute(DataSource dataSource, String ddl) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(ddl);
        }
    }

    /** Whether a unique index covers exactly {@code key}, as {@code ON CONFLICT (key…)} needs. */
    boolean isUnique(Set<String> key) {
        return uniqueKeys.contains(key);
    }
}
