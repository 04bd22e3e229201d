package dev.sluice.pipelines;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A test's queries of what a pipeline wrote, with bound parameters, on a connection of the test's own.
 *
 * <pre>{@code
 * List<String> ids = TableQueries.query(database::connect, "SELECT id FROM orders WHERE amount > ?",
 *         rs -> rs.getString(1), 10);
 * }</pre>
 */
public final class TableQueries {

    private TableQueries() {
    }

    @FunctionalInterface
    public interface Connect {
        Connection open() throws SQLException;
    }

    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Every row of {@code sql}, read by {@code reader}; {@code params} fill its {@code ?} in order. */
    public static <T> List<T> query(Connect connect, String sql, RowReader<T> reader, Object... params) {
        try (Connection c = connect.open(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
