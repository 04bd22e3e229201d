package dev.sluice.pipelines.tracking;

import dev.sluice.pipelines.warehouse.ColumnConversion;
import dev.sluice.pipelines.warehouse.ColumnType;
import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.pipelines.warehouse.WarehouseLoadSettings;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tracking pipeline's warehouse load, as the Java wiring builds it: a {@link WarehouseLoadJob} of the
 * {@code events} columns ({@code db/tracking/V1__events.sql}) from {@code pipelines.tracking}'s bucket, archive prefix
 * and load settings. Goes when tracking becomes a shipped definition (its {@code jobs:} then declare the same).
 */
public final class TrackingLoad {
    public static final String NAME = "tracking-load";

    /** The columns of {@code events} in DDL order, with the rules of its DDL. */
    public static final Map<String, ColumnConversion> COLUMNS;

    static {
        Map<String, ColumnConversion> columns = new LinkedHashMap<>();
        columns.put("id", string(36, false));
        columns.put("anonymous_id", string(36, false));
        columns.put("user_id", ColumnConversion.of(ColumnType.INTEGER, 0, true));
        columns.put("context_app_version", string(8, true));
        columns.put("context_device_ad_tracking_enabled", ColumnConversion.of(ColumnType.BOOLEAN, 0, true));
        columns.put("context_device_manufacturer", string(32, true));
        columns.put("context_device_model", string(32, true));
        columns.put("context_device_type", string(16, false));
        columns.put("context_library_name", string(16, true));
        columns.put("context_library_version", string(8, true));
        columns.put("context_locale", string(5, true));
        columns.put("context_network_wifi", ColumnConversion.of(ColumnType.BOOLEAN, 0, true));
        columns.put("context_os_name", string(32, true));
        columns.put("context_network_carrier", string(16, true));
        columns.put("context_timezone", string(16, true));
        columns.put("context_traits_taxfix_language", string(5, true));
        columns.put("event", string(32, false));
        columns.put("event_text", string(64, false));
        columns.put("original_timestamp", ColumnConversion.of(ColumnType.TIMESTAMPTZ, 0, true));
        columns.put("timestamp", ColumnConversion.of(ColumnType.TIMESTAMP, 0, false));
        columns.put("sent_at", ColumnConversion.of(ColumnType.TIMESTAMP, 0, false));
        columns.put("received_at", ColumnConversion.of(ColumnType.TIMESTAMP, 0, false));
        COLUMNS = java.util.Collections.unmodifiableMap(columns);
    }

    private TrackingLoad() {
    }

    private static ColumnConversion string(int maxLength, boolean nullable) {
        return ColumnConversion.of(ColumnType.STRING, maxLength, nullable);
    }

    /** The load's settings from the tracking pipeline's. */
    public static WarehouseLoadSettings settings(TrackingSettings tracking) {
        TrackingLoadSettings load = tracking.load();
        return new WarehouseLoadSettings(tracking.bucket(), tracking.archive().prefix(), load.events(), COLUMNS,
                load.ledger(), load.loadErrors(), load.failedFiles(), null, load.maxLineBytes(), load.maxTries(),
                load.relistWindow(), load.fullListEvery());
    }

    public static WarehouseLoadJob job(TrackingSettings tracking, S3Client s3, DataSource warehouse) {
        return new WarehouseLoadJob(NAME, TrackingArchivePipeline.NAME, settings(tracking), s3, warehouse);
    }
}
