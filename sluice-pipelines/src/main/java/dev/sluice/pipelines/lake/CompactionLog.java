package dev.sluice.pipelines.lake;

import dev.sluice.postgres.KeyLookup;
import dev.sluice.postgres.SqlIdentifier;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compactions of a lake in Postgres (the lake's table is {@code lake_compactions}): a row is written before the
 * output is stored, holds the ETag each input had when it was read, and is marked done after the inputs are
 * deleted, so the next run can finish or roll back a crashed one, and readers can hide the inputs of an output that
 * is already stored: only in the version the compaction read, so an input rewritten since stays visible.
 */
public final class CompactionLog {

    private final DataSource dataSource;
    private final String table;
    private final String ledger;

    /** The lake's log, {@code lake_compactions}, beside its ledger {@code lake_storing}. */
    public CompactionLog(DataSource dataSource) {
        this(dataSource, "lake_compactions", "lake_storing");
    }

    /**
     * The log in {@code table}; {@code ledger} is the files sink's ledger of files being stored, or null when the
     * files' writer keeps none.
     */
    public CompactionLog(DataSource dataSource, String table, String ledger) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = SqlIdentifier.unqualifiedTable(table).name();
        this.ledger = ledger == null ? null : SqlIdentifier.unqualifiedTable(ledger).name();
    }

    /**
     * Records a compaction as started. Starting an output again (the same input keys came back after an earlier
     * compaction of them) starts it afresh: that earlier output is among the partition's files, hence an input.
     */
    public void start(Compaction c) throws SQLException {
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "INSERT INTO " + table + " (output_key, input_keys, state) VALUES (?, ?, 'started')"
                        + " ON CONFLICT (output_key) DO UPDATE SET input_keys = excluded.input_keys,"
                        + " input_etags = NULL, state = 'started', started_at = now(), finished_at = NULL")) {
            s.setString(1, c.output());
            s.setArray(2, conn.createArrayOf("text", c.inputs().toArray()));
            s.executeUpdate();
        }
    }

    /** Records the ETags the inputs were read at; before the output is stored, so a rerun deletes only those. */
    public void read(Compaction c) throws SQLException {
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "UPDATE " + table + " SET input_etags = ? WHERE output_key = ?")) {
            s.setArray(1, conn.createArrayOf("text", c.etags().toArray()));
            s.setString(2, c.output());
            s.executeUpdate();
        }
    }

    public void finish(Compaction c) throws SQLException {
        update("UPDATE " + table + " SET state = 'done', finished_at = now() WHERE output_key = ?", c.output());
    }

    /** Forgets a started compaction whose output was never stored; its inputs are all still in place. */
    public void abandon(Compaction c) throws SQLException {
        update("DELETE FROM " + table + " WHERE output_key = ? AND state = 'started'", c.output());
    }

    /** Compactions started and not done, oldest first. */
    public List<Compaction> unfinished() throws SQLException {
        List<Compaction> found = new ArrayList<>();
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "SELECT output_key, input_keys, input_etags FROM " + table + " WHERE state = 'started'"
                        + " ORDER BY started_at");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                found.add(new Compaction(rs.getString(1), strings(rs.getArray(2)), strings(rs.getArray(3))));
            }
        }
        return found;
    }

    /**
     * The listed objects a reader must skip: the inputs of every compaction whose output is listed, whether or not
     * it finished deleting them, in the version the compaction read (any version on rows that hold no ETags). An
     * input rewritten after it was read is not among them: the output lacks what the rewrite added.
     */
    public Set<String> hidden(Collection<LakeObject> listed) throws SQLException {
        Set<String> hidden = new HashSet<>();
        if (listed.isEmpty()) {
            return hidden;
        }
        Map<String, String> etags = new HashMap<>();
        listed.forEach(o -> etags.put(o.key(), o.etag()));
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "SELECT input_keys, input_etags FROM " + table + " WHERE output_key = ANY(?)")) {
            s.setArray(1, conn.createArrayOf("text", etags.keySet().toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Compaction c = new Compaction("", strings(rs.getArray(1)), strings(rs.getArray(2)));
                    for (int i = 0; i < c.inputs().size(); i++) {
                        String read = c.etag(i);
                        String key = c.inputs().get(i);
                        if (etags.containsKey(key) && (read == null || read.equals(etags.get(key)))) {
                            hidden.add(key);
                        }
                    }
                }
            }
        }
        return hidden;
    }

    /**
     * Of {@code keys}, the files the pipeline is storing or stored without recording their events yet (a crash in
     * between, settled at its next start): compaction leaves them alone until then, since merging and deleting one
     * would leave its events recorded nowhere, and their redelivered messages would store them again.
     */
    public Set<String> unsettled(Collection<String> keys) throws SQLException {
        if (ledger == null) {
            return Set.of();
        }
        return KeyLookup.found(dataSource, "SELECT object_key FROM " + ledger + " WHERE object_key = ANY(?)", keys);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private void update(String sql, String output) throws SQLException {
        try (Connection conn = dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(sql)) {
            s.setString(1, output);
            s.executeUpdate();
        }
    }
}
