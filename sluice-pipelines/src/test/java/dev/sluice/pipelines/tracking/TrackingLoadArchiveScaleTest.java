package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long archive, all of it in the ledger, and ten new files: the run after the first lists only the keys from the
 * newest loaded file's time less {@code relistWindow}, asks the ledger about those alone, and loads the new files,
 * one of them named before the newest loaded file (a late upload). The archive is written straight into s3proxy's
 * data directory and ledgered with one batch (about 25 s for 100,000 files here); {@code -Dsluice.tracking.archiveFiles=100000} runs it at the scale
 * docs/benchmarks.md reports (the suite runs 2,000).
 */
class TrackingLoadArchiveScaleTest {
    static final int ARCHIVED = Integer.getInteger("sluice.tracking.archiveFiles", 2_000);
    /** Archived files are this far apart, oldest first; the newest is at {@link #NEWEST}. */
    static final Duration SPACING = Duration.ofMinutes(10);
    static final Instant NEWEST = Instant.parse("2026-11-22T18:00:00Z");
    /** Archived files in the store when the first run lists everything. */
    static final int FIRST_LISTED = 20;
    static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/'HHmmss")
            .withZone(ZoneOffset.UTC);

    @Test
    void aRunListsAndAsksTheLedgerAboutWhatIsNewNotTheWholeArchive() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             TrackingLoadHarness h = new TrackingLoadHarness(database.settings())) {
            long setupStarted = System.nanoTime();
            byte[] archivedFile = TrackingLoadHarness.gzip(TrackingLoadJobTest.event("A-0", e -> { }) + "\n");
            List<String> archivedKeys = new ArrayList<>(ARCHIVED);
            for (int i = 0; i < ARCHIVED; i++) {
                archivedKeys.add(key(NEWEST.minus(SPACING.multipliedBy(ARCHIVED - 1 - i))));
            }
            // The first run after start lists everything (by design, once a day). It runs while the store holds the
            // newest archived files only: s3proxy's filesystem store walks every file for each page it lists, which
            // at 100,000 files is its cost, not S3's; the run measured is the next one.
            List<String> newestFirst = archivedKeys.subList(ARCHIVED - FIRST_LISTED, ARCHIVED);
            String eTag = null;
            for (String key : newestFirst) {
                eTag = h.writeDirectly(key, archivedFile);
            }
            ledger(h, archivedKeys, eTag);
            WarehouseLoadJob.Summary first = h.job.loadPending();
            assertThat(first).isEqualTo(new WarehouseLoadJob.Summary(0, FIRST_LISTED, 0, 0, 0));
            assertThat(h.job.lastScan().orElseThrow().fullListing()).as("the first run after start").isTrue();
            for (String key : archivedKeys.subList(0, ARCHIVED - FIRST_LISTED)) {
                h.writeDirectly(key, archivedFile);
            }
            Duration setup = Duration.ofNanos(System.nanoTime() - setupStarted);

            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String line = TrackingLoadJobTest.event("N-" + i, e -> { });
                lines.add(line);
                // Nine after the newest archived file, and one named 30 minutes before it: stored late.
                Instant named = i == 9 ? NEWEST.minus(Duration.ofMinutes(30)) : NEWEST.plusSeconds(60L * (i + 1));
                h.writeDirectly(key(named), TrackingLoadHarness.gzip(line + "\n"));
            }

            long runStarted = System.nanoTime();
            WarehouseLoadJob.Summary next = h.job.loadPending();
            Duration run = Duration.ofNanos(System.nanoTime() - runStarted);
            WarehouseLoadJob.Scan scan = h.job.lastScan().orElseThrow();

            assertThat(next.filesLoaded()).isEqualTo(10);
            assertThat(next.rows()).isEqualTo(10);
            assertThat(h.events()).isEqualTo(10);
            assertThat(scan.fullListing()).isFalse();
            // relistWindow 1 hour before the newest archived file: it and the 6 before it (10 minutes apart).
            assertThat(scan.objectsListed()).isEqualTo(7 + 10);
            assertThat(scan.ledgerRowsRead()).isEqualTo(7);
            // The figures docs/benchmarks.md reports, in the test's report.
            System.out.printf("archive of %d files: setup %d ms; the run after %d objects listed, %d ledger rows "
                    + "read, %d files loaded in %d ms%n", ARCHIVED, setup.toMillis(), scan.objectsListed(),
                    scan.ledgerRowsRead(), next.filesLoaded(), run.toMillis());
        }
    }

    private static String key(Instant named) {
        return "tracking-raw/" + KEY_TIME.format(named) + "-" + UUID.randomUUID() + ".json.gz";
    }

    private static void ledger(TrackingLoadHarness h, List<String> keys, String eTag) throws Exception {
        try (Connection c = h.db.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO tracking_loaded_files (file_key, etag, "
                     + "rows_loaded, duplicates_skipped, errors, loaded_at) VALUES (?, ?, 1, 0, 0, now())")) {
            for (String key : keys) {
                insert.setString(1, key);
                insert.setString(2, eTag);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
