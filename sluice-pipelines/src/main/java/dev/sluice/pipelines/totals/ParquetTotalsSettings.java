package dev.sluice.pipelines.totals;

import dev.sluice.parquet.totals.Aggregation;
import dev.sluice.parquet.totals.NullRows;

import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.TotalsRetention;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the {@code parquet_totals} sink. Errors start with the setting's key.
 *
 * @param groupBy       Parquet string columns, 1 to 16 (required): the first names the group (one Redis hash per
 *                      value), the others the fields of that hash
 * @param sum           Parquet int64 columns, 1 to 16, none also in {@code groupBy} (required)
 * @param nullRows      {@code reject} (default): a null in a configured column makes the file bad; {@code skip}:
 *                      the row is left out and counted
 * @param maxValue      the largest value of a summed column in one row; larger makes the file bad (default: no
 *                      limit but the 64-bit range). Negative values always make it bad
 * @param maxGroups     the most distinct values of the first group-by column in one file (default 500,000)
 * @param unit          what the summed values count, e.g. {@code seconds}, named in the reasons of bad files
 *                      (default: none)
 * @param namespace     the Redis hash tag of every key (default: the pipeline's name); lower case, digits, _ and -
 * @param group         what one group is, singular, in key names: {@code <group>:<id>}, {@code <group>s}
 *                      (default {@code group})
 * @param keyPrefix     the start of every key (default: the {@code redis:} section's {@code keyPrefix}); no braces
 * @param retention     how long done markers and failure records stay (default 30 days each)
 * @param workDirectory where objects are downloaded while they are summed, one file per object, deleted afterwards;
 *                      created if missing and checked writable at start (default: a new temporary directory per run)
 * @param fetcher       the named service that downloads objects (default {@code s3})
 * @param objects       the record field that holds the notified objects (default {@code objects}, what
 *                      {@code s3_notifications} emits)
 */
public record ParquetTotalsSettings(List<String> groupBy, List<String> sum, NullRows nullRows, Long maxValue,
                                    Integer maxGroups, String unit, String namespace, String group,
                                    String keyPrefix, TotalsRetention retention, Path workDirectory,
                                    String fetcher, String objects) {

    public ParquetTotalsSettings {
        Aggregation rules = new Aggregation(groupBy, sum, nullRows, maxValue, maxGroups, unit);
        groupBy = rules.groupBy();
        sum = rules.sum();
        nullRows = rules.nullRows();
        maxValue = rules.maxValue();
        maxGroups = rules.maxGroups();
        group = group == null ? "group" : group;
        TotalsKeys.checkSettings(namespace, group, keyPrefix);
        retention = retention == null ? TotalsRetention.DEFAULTS : retention;
        fetcher = fetcher == null ? "s3" : fetcher;
        objects = objects == null ? "objects" : objects;
        if (fetcher.isBlank()) {
            throw new IllegalArgumentException("fetcher must name a service, e.g. s3");
        }
        if (objects.isBlank()) {
            throw new IllegalArgumentException("objects must name a record field");
        }
    }

    /** The aggregation these settings describe. */
    public Aggregation aggregation() {
        return new Aggregation(groupBy, sum, nullRows, maxValue, maxGroups, unit);
    }
}
