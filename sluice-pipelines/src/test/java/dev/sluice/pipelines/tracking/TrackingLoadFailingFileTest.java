package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw file the warehouse refuses (a constraint the file breaks) is recorded with its reason and tries, the newer
 * files load all the same, and after {@code maxTries} the file is no longer tried.
 */
class TrackingLoadFailingFileTest {
    static final String REFUSED_VALUE = "REFUSED-VALUE-4711";

    @Test
    void aFileTheWarehouseRefusesIsRecordedSkippedAfterMaxTriesAndNewerFilesLoad() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             TrackingLoadHarness h = new TrackingLoadHarness(database.settings())) {
            try (Connection c = h.db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE events ADD CONSTRAINT event_text_allowed CHECK (event_text <> '"
                        + REFUSED_VALUE + "')");
            }
            WarehouseLoadJob job = TrackingJobs.loadJob(TrackingJobs.load("bucket: " + h.bucket
                    + ", maxTries: 2, relistWindow: 1h, fullListEvery: 24h"), h.s3, h.db.dataSource());
            String refused = h.putRaw(List.of(TrackingLoadJobTest.event("R-1", e -> e.put("event_text",
                    REFUSED_VALUE))));
            h.putRaw(List.of(TrackingLoadJobTest.event("G-1", e -> { })));

            WarehouseLoadJob.Summary first = job.loadPending();
            assertThat(first.filesLoaded()).as("the newer file loads past the refused one").isOne();
            assertThat(job.lastScan().orElseThrow().filesFailed()).isOne();
            assertThat(failure(h, refused)).startsWith("1 table events refused the row: check constraint violation")
                    .contains("event_text_allowed").doesNotContain(REFUSED_VALUE);

            h.putRaw(List.of(TrackingLoadJobTest.event("G-2", e -> { })));
            WarehouseLoadJob.Summary second = job.loadPending();
            assertThat(second.filesLoaded()).isOne();
            assertThat(failure(h, refused)).startsWith("2 ");

            h.putRaw(List.of(TrackingLoadJobTest.event("G-3", e -> { })));
            WarehouseLoadJob.Summary third = job.loadPending();
            WarehouseLoadJob.Scan scan = job.lastScan().orElseThrow();
            assertThat(third.filesLoaded()).isOne();
            assertThat(scan.filesFailed()).as("not tried again after maxTries").isZero();
            assertThat(scan.filesGivenUp()).isOne();
            assertThat(failure(h, refused)).startsWith("2 ");
            assertThat(h.count("SELECT count(*) FROM events")).isEqualTo(3);
            assertThat(h.count("SELECT count(*) FROM events WHERE id = 'R-1'")).isZero();
        }
    }

    /** {@code <tries> <reason>} of the file's failure record. */
    private static String failure(TrackingLoadHarness h, String key) throws Exception {
        try (Connection c = h.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT tries, reason FROM tracking_failed_files WHERE file_key = '"
                     + key + "'")) {
            assertThat(rows.next()).as("a failure record for " + key).isTrue();
            return rows.getInt(1) + " " + rows.getString(2);
        }
    }
}
