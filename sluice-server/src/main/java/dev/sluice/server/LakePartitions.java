package dev.sluice.server;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * Where {@link LakeApi} finds the lake's partitions: one summary per partition directory that holds lake files. The
 * server knows no storage; the lake pipeline brings an implementation (S3-backed in {@code sluice-pipelines}).
 */
public interface LakePartitions {

    /**
     * The partitions of one day ({@code year=…/month=…/day=…/}) holding lake files, in any order: the cost is that
     * day's files, never the whole lake.
     *
     * @throws RuntimeException when the storage cannot be read (the API answers 503)
     */
    List<Partition> partitions(LocalDate day);

    /** The directory of one day below the lake's prefix, e.g. {@code year=2026/month=11/day=22/}. */
    static String dayPath(LocalDate day) {
        return String.format(Locale.ROOT, "year=%04d/month=%02d/day=%02d/", day.getYear(), day.getMonthValue(),
                day.getDayOfMonth());
    }

    /**
     * One partition directory.
     *
     * @param partition    its path below the lake's prefix, e.g. {@code year=2026/month=11/day=22/event_type=account}
     * @param files        how many lake files it holds
     * @param bytes        their total size
     * @param lastModified when the newest of them was written
     */
    record Partition(String partition, long files, long bytes, Instant lastModified) {
    }
}
