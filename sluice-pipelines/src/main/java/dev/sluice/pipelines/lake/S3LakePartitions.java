package dev.sluice.pipelines.lake;

import dev.sluice.pipelines.partitions.DayPartitions;
import dev.sluice.server.LakePartitions;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * The lake's partitions of one day for the server's lake API: {@link DayPartitions} over the lake's hive-style day
 * folders ({@code <prefix>year=…/month=…/day=…/}), as the server's {@link LakePartitions}. Goes once the lake is a
 * shipped definition whose {@code partitions} route serves the same URL.
 *
 * <pre>{@code
 * ApiServer.builder().routes(new LakeApi(new S3LakePartitions(s3, "lake", "events/", DayPartitions.DEFAULT_READ_CACHE,
 *         Clock.systemUTC())))
 * }</pre>
 */
public final class S3LakePartitions implements LakePartitions {

    private final DayPartitions partitions;

    public S3LakePartitions(S3Client s3, String bucket, String prefix, Duration readCache, Clock clock) {
        this.partitions = new DayPartitions(s3, bucket, prefix, DayPartitions.HIVE_DAY, readCache, clock);
    }

    @Override
    public List<Partition> partitions(LocalDate day) {
        return partitions.partitions(day).stream()
                .map(p -> new Partition(p.partition(), p.files(), p.bytes(), p.lastModified())).toList();
    }
}
