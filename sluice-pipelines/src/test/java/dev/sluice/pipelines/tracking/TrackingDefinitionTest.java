package dev.sluice.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.pipeline.JobSchedule;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutesSettings;
import dev.sluice.pipelines.dailycounts.DailyCountsSettings;
import dev.sluice.pipelines.warehouse.WarehouseLoadSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped tracking definition declares what the tracking pipeline had before it was a definition (and what
 * docs/pipelines/tracking.md promises): the same queue, bucket, keys, tables, columns, URLs and schedules.
 */
class TrackingDefinitionTest {

    private final ConfigNode tracking;

    TrackingDefinitionTest() {
        try (DefinedPipelines defined = DefinedPipelines.of(Map.of(), TrackingArchiveHarness.shippedDefinition())) {
            tracking = defined.definitions().definition("tracking");
        }
    }

    private ConfigNode job(String type) {
        return tracking.at("jobs").elements().stream()
                .filter(node -> node.at("type").text().orElse("").equals(type)).findFirst().orElseThrow();
    }

    private static <T> T settings(ConfigNode node, Class<T> type) {
        return node.without(JobSchedule.KEYS).without("type", "id").bind(type);
    }

    @Test
    void theLoadJobLoadsTheEventsTableFromTheArchiveEveryFiveMinutes() throws IOException {
        ConfigNode load = job("warehouse_load");
        WarehouseLoadSettings settings = settings(load, WarehouseLoadSettings.class);
        assertThat(settings.bucket()).isEqualTo("tracking");
        assertThat(settings.prefix()).isEqualTo("tracking-raw/");
        assertThat(settings.table()).isEqualTo("events");
        assertThat(settings.ledger()).isEqualTo("tracking_loaded_files");
        assertThat(settings.loadErrors()).isEqualTo("tracking_load_errors");
        assertThat(settings.failedFiles()).isEqualTo("tracking_failed_files");
        assertThat(settings.migrations().location()).isEqualTo("db/tracking");
        assertThat(settings.maxLineBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.maxTries()).isEqualTo(3);
        assertThat(settings.relistWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.fullListEvery()).isEqualTo(Duration.ofHours(24));
        assertThat(load.only(JobSchedule.KEYS).bind(JobSchedule.class))
                .isEqualTo(new JobSchedule(Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofHours(1)));
        // The columns of the events table's DDL, in its order, with its lengths.
        Map<String, Integer> ddl = TrackingJobs.eventsColumns();
        assertThat(List.copyOf(settings.columns().keySet())).isEqualTo(List.copyOf(ddl.keySet()));
        settings.columns().forEach((column, conversion) -> {
            if (ddl.get(column) > 0) {
                assertThat(conversion.maxLength()).as(column).isEqualTo(ddl.get(column));
            }
        });
    }

    @Test
    void theChartsJobAndRoutesCountAndServeTheSameReportsEveryTwoHours() {
        ConfigNode charts = job("daily_counts");
        List<String> events = List.of("submission_success", "registration_initiated");
        assertThat(settings(charts, DailyCountsSettings.class)).isEqualTo(new DailyCountsSettings("tracking",
                "tracking-reports/", "events", "context_device_type", List.of("android", "ios"), events, "event",
                "timestamp", 30));
        assertThat(charts.only(JobSchedule.KEYS).bind(JobSchedule.class))
                .isEqualTo(new JobSchedule(Duration.ofHours(2), Duration.ofSeconds(10), Duration.ofMinutes(30)));
        DailyCountsRoutesSettings routes = tracking.at("routes").elements().getFirst().without("type", "id")
                .bind(DailyCountsRoutesSettings.class);
        assertThat(routes).isEqualTo(new DailyCountsRoutesSettings("tracking", "tracking-reports/", events,
                "/api/tracking", Duration.ofSeconds(10)));
    }

    @Test
    void theArchiverReadsTheTrackingQueueAndRollsIntoTheArchive() {
        assertThat(tracking.at("source", "queue").text()).contains("tracking-events");
        assertThat(tracking.at("sink", "bucket").text()).contains("tracking");
        assertThat(tracking.at("sink", "prefix").text()).contains("tracking-raw/");
        assertThat(tracking.at("sink", "names").text()).contains("opened_at");
        assertThat(tracking.at("errors", "table").text()).contains("tracking_rejects");
        assertThat(tracking.at("sink", "roll", "maxEvents").bind(Integer.class)).isEqualTo(10_000);
        assertThat(tracking.at("sink", "roll", "maxAge").bind(Duration.class)).isEqualTo(Duration.ofSeconds(60));
        // Room for two full files in flight, one filling while the one before is stored.
        assertThat(tracking.at("runner", "maxInFlight").bind(Integer.class)).isEqualTo(20_000);
    }
}
