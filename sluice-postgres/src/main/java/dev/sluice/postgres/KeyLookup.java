package dev.sluice.postgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which of many text keys a table holds, in one query: {@code sql} selects one text column and takes the keys as
 * its only parameter, a {@code text[]} (e.g. {@code SELECT event_key FROM lake_seen WHERE event_key = ANY(?)}).
 */
public final class KeyLookup {

    private KeyLookup() {
    }

    /** The keys {@code sql} returns for {@code keys}; no query when there are none. */
    public static Set<String> found(DataSource dataSource, String sql, Collection<String> keys) throws SQLException {
        Set<String> found = new HashSet<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }
}
