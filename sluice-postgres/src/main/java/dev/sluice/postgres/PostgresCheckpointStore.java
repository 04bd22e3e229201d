package dev.sluice.postgres;

import dev.sluice.core.checkpoint.Checkpoint;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.PermanentFailureException;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Kinesis checkpoints in a Postgres table, one row per (stream, shard). Saving is an upsert that never moves a
 * checkpoint backwards: a later sequence number replaces an earlier one, a finished shard stays finished, so a late
 * batch of checkpoint writes or a second instance replaying old positions cannot undo progress. All checkpoints of
 * one call are written in one transaction.
 *
 * <pre>{@code
 * PostgresCheckpointStore.migrate(db, PostgresCheckpointStore.DEFAULT_TABLE);   // on start, with the pipeline's tables
 * CheckpointStore checkpoints = new PostgresCheckpointStore(db.dataSource(), PostgresCheckpointStore.DEFAULT_TABLE);
 * KinesisSource source = KinesisSource.builder(settings).aws(aws).checkpoints(checkpoints).build();
 * }</pre>
 */
public final class PostgresCheckpointStore implements CheckpointStore {

    public static final String DEFAULT_TABLE = "kinesis_checkpoints";

    private final DataSource dataSource;
    private final SqlIdentifier table;
    private final String select;
    private final String upsert;

    /** @param table the checkpoint table, optionally {@code schema.table}; must be a valid {@link SqlIdentifier} */
    public PostgresCheckpointStore(DataSource dataSource, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = SqlIdentifier.table(table);
        String t = this.table.sql();
        this.select = "SELECT shard_id, sequence_number, finished FROM " + t + " WHERE stream = ?";
        // GREATEST ignores NULL; the WHERE clause keeps a finished row as it is and an older position out.
        this.upsert = "INSERT INTO " + t + " AS c (stream, shard_id, sequence_number, finished, updated_at)"
                + " VALUES (?, ?, ?, ?, now())"
                + " ON CONFLICT (stream, shard_id) DO UPDATE SET"
                + " sequence_number = GREATEST(c.sequence_number, EXCLUDED.sequence_number),"
                + " finished = EXCLUDED.finished, updated_at = now()"
                + " WHERE NOT c.finished AND (EXCLUDED.finished OR c.sequence_number IS NULL"
                + " OR EXCLUDED.sequence_number > c.sequence_number)";
    }

    /** Creates the checkpoint table {@code table} unless it is there, with a migration history of its own. */
    public static void migrate(PostgresDatabase db, String table) {
        db.migrate("db/kinesis-checkpoints", "sluice_history_" + SqlIdentifier.table(table).name(),
                Map.of("table", table));
    }

    @Override
    public Map<String, Checkpoint> load(String stream) throws SQLException, PermanentFailureException,
            DestinationRejectedException {
        Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, stream);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    BigDecimal sequence = rows.getBigDecimal("sequence_number");
                    String shardId = rows.getString("shard_id");
                    checkpoints.put(shardId, new Checkpoint(shardId,
                            sequence == null ? null : sequence.toBigIntegerExact().toString(),
                            rows.getBoolean("finished")));
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.classify(e, table);
        }
        return checkpoints;
    }

    @Override
    public void save(String stream, Collection<Checkpoint> checkpoints) throws SQLException,
            PermanentFailureException, DestinationRejectedException {
        if (checkpoints.isEmpty()) {
            return;
        }
        try {
            BatchTransaction.write(dataSource, upsert, checkpoints, (statement, checkpoint) -> {
                statement.setString(1, stream);
                statement.setString(2, checkpoint.shardId());
                if (checkpoint.sequenceNumber() == null) {
                    statement.setNull(3, Types.NUMERIC);
                } else {
                    statement.setBigDecimal(3, new BigDecimal(checkpoint.sequenceNumber()));
                }
                statement.setBoolean(4, checkpoint.finished());
            });
        } catch (SQLException e) {
            throw PostgresFailures.classify(e, table);
        }
    }

    @Override
    public String toString() {
        return "PostgresCheckpointStore[" + table + "]";
    }
}
