package dev.sluice.server;

import java.time.Instant;
import java.util.List;

/**
 * Where {@link LakeApi} finds the lake's partitions: one summary per partition directory that holds lake files. The
 * server knows no storage; the lake pipeline brings an implementation (S3-backed in {@code sluice-pipelines}).
 */
public interface LakePartitions {

    /**
     * Every partition holding lake files, in any order.
     *
     * @throws RuntimeException when the storage cannot be read (the API answers 503)
     */
    List<Partition> partitions();

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
