package dev.sluice.pipelines.lake;

import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.parquet.lake.LakeObjectStore;
import dev.sluice.postgres.PostgresSeenEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files the lake pipeline is storing, in Postgres ({@code lake_storing}): a row is written before a file's
 * PutObject and deleted once its events are recorded in {@code lake_seen}, or once the object is deleted again
 * because they could not be ({@link LakeSink}). A crash between the two leaves an object
 * whose events are stored but not recorded, so their messages come again; their new files would store them a second
 * time, since a queue's redelivery groups messages into files differently (and names them by a receive count), so
 * no file name is stable enough to be rewritten. {@link #settle} at start finishes what the crash left: the events of
 * every such object that is stored are recorded, so their redelivered messages are dropped as copies; a row whose
 * object was never stored is forgotten. Compaction leaves a file with a row alone (it reads this table through its {@code ledger} setting).
 *
 * <pre>{@code
 * StoringLedger ledger = new StoringLedger(db.dataSource());
 * ledger.settle(s3, "lake", seen, workDirectory, clock);      // before the pipeline starts
 * LakeObjectStore store = ledger.recording(new S3LakeObjectStore(s3, "lake"));
 * }</pre>
 */
public final class StoringLedger {

    private static final Logger log = LoggerFactory.getLogger(StoringLedger.class);

    private final DataSource dataSource;

    public StoringLedger(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * {@code store}, with a row written before each put. A delete leaves the row: the sink drops it
     * ({@link #settled}) once the object is gone.
     */
    public LakeObjectStore recording(LakeObjectStore store) {
        Objects.requireNonNull(store, "store");
        return new LakeObjectStore() {
            @Override
            public void put(String key, Path file) throws IOException, PermanentFailureException {
                try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                        "INSERT INTO lake_storing (object_key) VALUES (?) ON CONFLICT (object_key) DO NOTHING")) {
                    s.setString(1, key);
                    s.executeUpdate();
                } catch (SQLException e) {
                    throw new IOException("could not record that " + key + " is being stored (SQLSTATE "
                            + e.getSQLState() + ")", e);
                }
                store.put(key, file);
            }

            @Override
            public void delete(String key) throws IOException, PermanentFailureException {
                store.delete(key);
            }
        };
    }


    /**
     * Records in {@code seen} the events of every object a row names that is stored, then drops the row; a row
     * whose object is not stored is dropped. Run it before the pipeline starts (one pipeline per lake: a row of
     * another running writer would be settled under it).
     *
     * @return the objects whose events were recorded
     */
    public int settle(S3Client s3, String bucket, PostgresSeenEvents seen, Path workDirectory, Clock clock)
            throws IOException, SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT object_key FROM lake_storing ORDER BY started_at")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        int settled = 0;
        Path local = workDirectory.resolve("settle.parquet");
        for (String key : rows) {
            Files.deleteIfExists(local);
            try {
                s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build(), local);
            } catch (NoSuchKeyException notStored) {
                settled(key);
                continue;
            }
            seen.record(events(local), clock.instant());
            Files.delete(local);
            settled(key);
            settled++;
        }
        if (settled > 0) {
            log.info("lake: recorded the events of {} files stored before a crash and not recorded then; their "
                    + "messages are dropped as copies when they come again", settled);
        }
        return settled;
    }

    private static List<SeenEvent> events(Path file) throws SQLException {
        List<SeenEvent> events = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_uuid, created_at FROM read_parquet("
                     + LakeCompaction.sqlString(file.toString()) + ")")) {
            while (rs.next()) {
                events.add(LakePipeline.identity(rs.getString(1), rs.getDouble(2)));
            }
        }
        return events;
    }

    /**
     * The file under {@code key} is settled, its row goes: its events are recorded in lake_seen, or its object is not
     * stored (never was, or was deleted since).
     */
    public void settled(String key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM lake_storing WHERE object_key = ?")) {
            s.setString(1, key);
            s.executeUpdate();
        }
    }
}
