package dev.sluice.server;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Stands in for the lake in the server's tests: the partitions the test set, or the failure it set. */
final class CannedLakePartitions implements LakePartitions {

    private final AtomicReference<List<Partition>> partitions;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    CannedLakePartitions(List<Partition> partitions) {
        this.partitions = new AtomicReference<>(List.copyOf(partitions));
    }

    void failWith(RuntimeException e) {
        failure.set(e);
    }

    @Override
    public List<Partition> partitions() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        return partitions.get();
    }

    static Partition partition(String path, long files, long bytes, String lastModified) {
        return new Partition(path, files, bytes, Instant.parse(lastModified));
    }
}
