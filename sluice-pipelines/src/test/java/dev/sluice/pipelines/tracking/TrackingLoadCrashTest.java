package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL during a load transaction: a worker JVM loads a large raw file and is killed while its COPY runs inside
 * the file's open transaction. Nothing of the file is in the warehouse afterwards, and the next run loads it exactly
 * once.
 */
class TrackingLoadCrashTest {
    static final String WORKER = "tracking-load-worker";

    @TempDir
    Path dir;

    @Test
    void aLoaderKilledInsideTheFileTransactionLeavesNothingAndTheNextRunLoadsTheFileOnce() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             TrackingLoadHarness h = new TrackingLoadHarness(database.settings())) {
            List<String> lines = TrackingLoadHarness.events("K-", 100_000);
            h.putRaw(lines);

            Process worker = startWorker(h, database.jdbcUrl() + "&ApplicationName=" + WORKER);
            try {
                await("the worker's COPY inside its transaction; log: " + dir.resolve("worker.log"))
                        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                        .until(() -> loadsInProgress(database.jdbcUrl(), WORKER) > 0);
            } finally {
                worker.destroyForcibly();
            }
            assertThat(worker.waitFor()).as("killed, log:%n%s", Files.readString(dir.resolve("worker.log")))
                    .isNotZero();
            // The server notices the dead client and rolls its transaction back.
            await().atMost(Duration.ofSeconds(60)).until(() -> sessions(database.jdbcUrl(), WORKER) == 0);
            assertThat(h.events()).isZero();
            assertThat(h.count("SELECT count(*) FROM tracking_loaded_files")).isZero();

            WarehouseLoadJob.Summary next = h.job.loadPending();

            assertThat(next).isEqualTo(new WarehouseLoadJob.Summary(1, 0, lines.size(), 0, 0));
            assertThat(h.events()).isEqualTo(lines.size());
            assertThat(h.count("SELECT count(DISTINCT id) FROM events")).isEqualTo(lines.size());
        }
    }

    /** Sessions of {@code application} (a LIKE pattern) running the loader's COPY inside a transaction. */
    static long loadsInProgress(String url, String application) throws SQLException {
        return count(url, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE ? AND state = 'active'"
                + " AND xact_start IS NOT NULL AND query LIKE 'COPY % FROM STDIN'", application);
    }

    private static long sessions(String url, String application) throws SQLException {
        return count(url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", application);
    }

    private static long count(String url, String sql, String application) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, application);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Process startWorker(TrackingLoadHarness h, String jdbcUrl) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TrackingLoadWorker.class.getName(), TrackingLoadHarness.S3.endpoint().toString(), h.bucket, jdbcUrl);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile());
        return pb.start();
    }
}
