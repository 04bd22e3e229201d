package dev.sluice.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.pipeline.JobSchedule;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.dailycounts.DailyCountsRoutesSettings;
import dev.sluice.pipelines.dailycounts.DailyCountsSettings;
import dev.sluice.pipelines.warehouse.WarehouseLoadSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped tracking definition declares the jobs and routes the Java wiring builds today, with the same names,
 * tables, columns, keys, URLs and schedules ({@link TrackingLoad}, {@link TrackingCharts} from
 * {@link TrackingSettings#DEFAULTS}).
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
    void theLoadJobLoadsTheSameTablesFromTheSameKeysEveryFiveMinutes() {
        ConfigNode load = job("warehouse_load");
        WarehouseLoadSettings settings = settings(load, WarehouseLoadSettings.class);
        assertThat(settings).usingRecursiveComparison().ignoringFields("migrations")
                .isEqualTo(TrackingLoad.settings(TrackingSettings.DEFAULTS));
        assertThat(List.copyOf(settings.columns().keySet())).isEqualTo(List.copyOf(TrackingLoad.COLUMNS.keySet()));
        assertThat(settings.migrations().location()).isEqualTo("db/tracking");
        TrackingLoadSettings today = TrackingLoadSettings.DEFAULTS;
        assertThat(load.only(JobSchedule.KEYS).bind(JobSchedule.class))
                .isEqualTo(new JobSchedule(today.interval(), today.firstRun(), today.maxRunTime()));
    }

    @Test
    void theChartsJobAndRoutesCountAndServeTheSameReportsEveryTwoHours() {
        ConfigNode charts = job("daily_counts");
        assertThat(settings(charts, DailyCountsSettings.class))
                .isEqualTo(TrackingCharts.settings(TrackingSettings.DEFAULTS));
        TrackingChartsSettings today = TrackingChartsSettings.DEFAULTS;
        assertThat(charts.only(JobSchedule.KEYS).bind(JobSchedule.class))
                .isEqualTo(new JobSchedule(today.interval(), today.firstRun(), today.maxRunTime()));
        DailyCountsRoutesSettings routes = tracking.at("routes").elements().getFirst().without("type", "id")
                .bind(DailyCountsRoutesSettings.class);
        assertThat(routes).isEqualTo(new DailyCountsRoutesSettings(TrackingSettings.DEFAULTS.bucket(), today.prefix(),
                today.events(), "/api/tracking", today.readCache()));
    }

    @Test
    void theArchiverReadsTheSameQueueAndRollsLikeTheJavaWiring() {
        TrackingSettings today = TrackingSettings.DEFAULTS;
        assertThat(tracking.at("source", "queue").text()).contains(today.source().queue());
        assertThat(tracking.at("sink", "bucket").text()).contains(today.bucket());
        assertThat(tracking.at("sink", "prefix").text()).contains(today.archive().prefix());
        assertThat(tracking.at("sink", "names").text()).contains("opened_at");
        assertThat(tracking.at("errors", "table").text()).contains(TrackingSchema.REJECTS);
        assertThat(tracking.at("sink", "roll", "maxAge").bind(Duration.class)).isEqualTo(today.archive().maxAge());
    }
}
