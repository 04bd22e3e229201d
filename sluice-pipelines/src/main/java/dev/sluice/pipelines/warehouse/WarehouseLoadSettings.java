package dev.sluice.pipelines.warehouse;

import dev.sluice.pipelines.BucketFolder;
import dev.sluice.postgres.SqlIdentifier;
import dev.sluice.postgres.plugin.Migrations;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code warehouse_load} job: raw gzip NDJSON files under {@code prefix} of {@code bucket}, each loaded once
 * into {@code table} with its ledger row (docs/plugins/warehouse_load.md).
 *
 * @param bucket        the bucket the raw files are in (required)
 * @param prefix        the folder they are under (default empty: the whole bucket); empty or ending in {@code /},
 *                      not starting with one
 * @param table         the warehouse table (required); a plain lowercase identifier, with a unique key
 * @param columns       the table's columns in the order a row's values come, each read from the line's field of the
 *                      same name and converted as declared (required, at least one)
 * @param ledger        the ledger of loaded files (default {@code <table>_loaded_files})
 * @param loadErrors    lines that could not be loaded (default {@code <table>_load_errors})
 * @param failedFiles   files that failed to load, with tries and reason (default {@code <table>_failed_files})
 * @param migrations    the migrations that create the four tables, when Sluice creates them (default none: the user's
 *                      own migrations did); run with the placeholders {@code table}, {@code ledger},
 *                      {@code load_errors}, {@code failed_files} and those written, under the history
 *                      {@code sluice_history_<table>} unless one is written
 * @param maxLineBytes  the longest raw line read (default 1 MiB, at least 1024); longer lines are load errors
 * @param maxTries      a file that failed this many runs is skipped (default 3; at least 1)
 * @param relistWindow  a run lists from the newest loaded file's time less this (default 1 hour; not negative);
 *                      keys that carry no {@code dt=YYYY-MM-DD/HHMMSS} time are always listed whole
 * @param fullListEvery the first run after start and then a run this often list the whole prefix (default 24 hours;
 *                      positive)
 */
public record WarehouseLoadSettings(String bucket, String prefix, String table, Map<String, ColumnConversion> columns,
                                    String ledger, String loadErrors, String failedFiles, Migrations migrations,
                                    Integer maxLineBytes, Integer maxTries, Duration relistWindow,
                                    Duration fullListEvery) {

    public WarehouseLoadSettings {
        BucketFolder.bucket(bucket, "the raw files");
        prefix = BucketFolder.prefix(prefix, "raw/");
        if (table == null) {
            throw new IllegalArgumentException("table is required: the warehouse table the lines are loaded into");
        }
        // Unqualified: the names also name the migration history and indexes.
        table = SqlIdentifier.unqualifiedTable(table).name();
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("columns is required: the table's columns, each with its type");
        }
        columns.keySet().forEach(SqlIdentifier::column);
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        ledger = SqlIdentifier.unqualifiedTable(ledger == null ? table + "_loaded_files" : ledger).name();
        loadErrors = SqlIdentifier.unqualifiedTable(loadErrors == null ? table + "_load_errors" : loadErrors).name();
        failedFiles = SqlIdentifier.unqualifiedTable(failedFiles == null ? table + "_failed_files" : failedFiles)
                .name();
        maxLineBytes = maxLineBytes == null ? 1024 * 1024 : maxLineBytes;
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024, got " + maxLineBytes);
        }
        maxTries = maxTries == null ? 3 : maxTries;
        if (maxTries < 1) {
            throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
        }
        relistWindow = relistWindow == null ? Duration.ofHours(1) : relistWindow;
        if (relistWindow.isNegative()) {
            throw new IllegalArgumentException("relistWindow must not be negative, got " + relistWindow);
        }
        fullListEvery = fullListEvery == null ? Duration.ofHours(24) : fullListEvery;
        if (fullListEvery.isNegative() || fullListEvery.isZero()) {
            throw new IllegalArgumentException("fullListEvery must be positive, got " + fullListEvery);
        }
    }

    /** These settings with another retry bound and listing window (tests). */
    public WarehouseLoadSettings withListing(int maxTries, Duration relistWindow, Duration fullListEvery) {
        return new WarehouseLoadSettings(bucket, prefix, table, columns, ledger, loadErrors, failedFiles, migrations,
                maxLineBytes, maxTries, relistWindow, fullListEvery);
    }

    /** The placeholders the migrations run with: the four table names, then those written. */
    Map<String, String> placeholders() {
        Map<String, String> values = new LinkedHashMap<>(Map.of("table", table, "ledger", ledger,
                "load_errors", loadErrors, "failed_files", failedFiles));
        if (migrations != null) {
            values.putAll(migrations.placeholders());
        }
        return values;
    }

    /** The Flyway history of the migrations. */
    String history() {
        return migrations != null && migrations.history() != null ? migrations.history() : "sluice_history_" + table;
    }
}
