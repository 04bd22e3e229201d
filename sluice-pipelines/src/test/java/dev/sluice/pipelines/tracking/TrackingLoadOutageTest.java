package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.postgres.testing.RestartablePostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The warehouse stops while a file is being loaded: nothing of that file stays, and the next run loads it once. */
class TrackingLoadOutageTest {

    @TempDir
    Path dataDirectory;

    @Test
    void aWarehouseStoppedMidFileKeepsNothingOfItAndTheNextRunLoadsEverythingOnce() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start(dataDirectory);
             TrackingLoadHarness h = new TrackingLoadHarness(
                     postgres.settings().withConnectTimeout(Duration.ofSeconds(1)))) {
            List<String> small = TrackingLoadHarness.events("A-", 10);
            List<String> large = TrackingLoadHarness.events("B-", 100_000);
            List<String> last = TrackingLoadHarness.events("C-", 10);
            h.putRaw(small);
            h.putRaw(large);
            h.putRaw(last);

            // Stops the server once the large file's COPY is running (the first file is ledgered; the last one, small,
            // may be loaded alongside), seen from connections of its own.
            CompletableFuture<Void> stopper = CompletableFuture.runAsync(() -> {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                        .until(() -> h.count("SELECT count(*) FROM tracking_loaded_files") >= 1
                                && TrackingLoadCrashTest.loadsInProgress(postgres.jdbcUrl(), "%") > 0);
                try {
                    postgres.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(h.job::loadPending).isInstanceOf(java.sql.SQLException.class);
            stopper.get(60, TimeUnit.SECONDS);

            postgres.start();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> h.events() >= 0);
            // Nothing partial: the rows in the table are exactly those of the ledgered files, and the large file,
            // cut mid-COPY, is not among them.
            long ledgered = h.count("SELECT count(*) FROM tracking_loaded_files");
            assertThat(h.events()).isEqualTo(h.count("SELECT coalesce(sum(rows_loaded), 0) FROM tracking_loaded_files"));
            assertThat(h.count("SELECT count(*) FROM events WHERE id LIKE 'B-%'")).isZero();
            assertThat(ledgered).isBetween(1L, 2L);

            WarehouseLoadJob.Summary next = h.job.loadPending();

            assertThat(next.filesLoaded()).isEqualTo(3 - ledgered);
            assertThat(next.filesAlreadyLoaded()).isEqualTo(ledgered);
            assertThat(next.duplicates()).isZero();
            assertThat(h.events()).isEqualTo(small.size() + large.size() + last.size());
            assertThat(h.count("SELECT count(*) FROM tracking_loaded_files")).isEqualTo(3);
        }
    }
}
