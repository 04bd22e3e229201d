package dev.sluice.server;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Stands in for the lake in the server's tests: the partitions the test set, whatever the day, or the failure it set. */
final class CannedLakePartitions implements LakePartitions {

    private final AtomicReference<List<Partition>> partitions;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** The days the API asked for, in order. */
    final List<LocalDate> daysAsked = new CopyOnWriteArrayList<>();

    CannedLakePartitions(List<Partition> partitions) {
        this.partitions = new AtomicReference<>(List.copyOf(partitions));
    }

    void failWith(RuntimeException e) {
        failure.set(e);
    }

    @Override
    public List<Partition> partitions(LocalDate day) {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        daysAsked.add(day);
        return partitions.get();
    }

    static Partition partition(String path, long files, long bytes, String lastModified) {
        return new Partition(path, files, bytes, Instant.parse(lastModified));
    }
}
