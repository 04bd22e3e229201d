package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 raw files pending: the listing goes past S3's 1,000 keys per page and every file loads once. The files are
 * written straight into s3proxy's data directory (PUTting them would take longer than loading them); on the embedded
 * Postgres only, as the load itself is the same code on every server.
 */
class TrackingLoadManyFilesTest {
    static final int FILES = 10_000;

    @Test
    void tenThousandPendingFilesAllLoad() throws Exception {
        try (TestDatabase database = TestDatabases.embedded();
             TrackingLoadHarness h = new TrackingLoadHarness(database.settings())) {
            String template = TrackingLoadJobTest.event("E-0", e -> { });
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < FILES; i++) {
                keys.add(h.writeRawDirectly(List.of(template.replace("\"E-0\"", "\"E-" + i + "\""))));
            }

            WarehouseLoadJob.Summary summary = h.job.loadPending();

            assertThat(summary).isEqualTo(new WarehouseLoadJob.Summary(FILES, 0, FILES, 0, 0));
            assertThat(h.events()).isEqualTo(FILES);
            assertThat(h.count("SELECT count(DISTINCT file_key) FROM tracking_loaded_files")).isEqualTo(keys.size());
        }
    }
}
