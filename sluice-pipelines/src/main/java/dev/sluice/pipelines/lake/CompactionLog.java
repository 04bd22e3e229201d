package dev.sluice.pipelines.lake;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The compactions of the lake in Postgres ({@code lake_compactions}): a row is written before the output is stored
 * and marked done after the inputs are deleted, so the next run can finish or roll back a crashed one, and readers
 * can hide the inputs of an output that is already stored.
 */
public final class CompactionLog {

    private final DataSource dataSource;

    public CompactionLog(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Records a compaction as started. Starting an output again (the same input keys came back after an earlier
     * compaction of them) starts it afresh: that earlier output is among the partition's files, hence an input.
     */
    public void start(Compaction c) throws SQLException {
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "INSERT INTO lake_compactions (output_key, input_keys, state) VALUES (?, ?, 'started')"
                        + " ON CONFLICT (output_key) DO UPDATE SET input_keys = excluded.input_keys,"
                        + " state = 'started', started_at = now(), finished_at = NULL")) {
            s.setString(1, c.output());
            s.setArray(2, conn.createArrayOf("text", c.inputs().toArray()));
            s.executeUpdate();
        }
    }

    public void finish(Compaction c) throws SQLException {
        update("UPDATE lake_compactions SET state = 'done', finished_at = now() WHERE output_key = ?", c.output());
    }

    /** Forgets a started compaction whose output was never stored; its inputs are all still in place. */
    public void abandon(Compaction c) throws SQLException {
        update("DELETE FROM lake_compactions WHERE output_key = ? AND state = 'started'", c.output());
    }

    /** Compactions started and not done, oldest first. */
    public List<Compaction> unfinished() throws SQLException {
        List<Compaction> found = new ArrayList<>();
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "SELECT output_key, input_keys FROM lake_compactions WHERE state = 'started' ORDER BY started_at");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                found.add(new Compaction(rs.getString(1), Arrays.asList((String[]) rs.getArray(2).getArray())));
            }
        }
        return found;
    }

    /**
     * The inputs of every compaction whose output is among {@code keys}: what a reader of a listing holding those
     * keys must skip, whether or not the compaction finished deleting them.
     */
    public Set<String> inputsOf(Collection<String> keys) throws SQLException {
        Set<String> inputs = new HashSet<>();
        if (keys.isEmpty()) {
            return inputs;
        }
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "SELECT unnest(input_keys) FROM lake_compactions WHERE output_key = ANY(?)")) {
            Array array = conn.createArrayOf("text", keys.toArray());
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    inputs.add(rs.getString(1));
                }
            }
        }
        return inputs;
    }

    private void update(String sql, String output) throws SQLException {
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(sql)) {
            s.setString(1, output);
            s.executeUpdate();
        }
    }
}
