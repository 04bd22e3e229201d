package dev.sluice.pipelines.lake;

import dev.sluice.server.LakePartitions;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The lake's partitions of one day for the read API, from a listing of that day's directory only
 * ({@code <prefix>year=…/month=…/day=…/}), never of the whole bucket: its Parquet objects grouped by their partition
 * directory ({@code …/event_type=…/}), with file count, bytes and the newest object's time. So a request costs one
 * day of files, however old the lake. Keys that are not lake files (not Parquet, or not in a partition directory)
 * are skipped. The last day's summary is kept for {@code readCache} ({@link #DEFAULT_READ_CACHE} in the service), so
 * a page polling every two seconds from several tabs lists the day at most once per period; a failing listing
 * throws (the API answers 503) and is tried again at the next request.
 *
 * <pre>{@code
 * ApiServer.builder().routes(new LakeApi(new S3LakePartitions(s3, "lake", "events/", S3LakePartitions.DEFAULT_READ_CACHE,
 *         Clock.systemUTC())))
 * }</pre>
 */
public final class S3LakePartitions implements LakePartitions {

    /** How long one listing is served: a few polls of the dashboard. */
    public static final Duration DEFAULT_READ_CACHE = Duration.ofSeconds(5);

    /** The directory a lake file sits in below the prefix, as {@code LakePartition.path()} writes it. */
    private static final Pattern PARTITION =
            Pattern.compile("year=\\d{4}/month=\\d{2}/day=\\d{2}/event_type=[A-Za-z0-9_-]{1,128}/");

    private final LakeFiles files;
    private final String prefix;
    private final Duration readCache;
    private final Clock clock;
    private LocalDate listedDay;
    private List<Partition> partitions;
    private Instant listedAt;

    public S3LakePartitions(S3Client s3, String bucket, String prefix, Duration readCache, Clock clock) {
        this.files = new LakeFiles(s3, bucket);
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (readCache == null || readCache.isNegative()) {
            throw new IllegalArgumentException("readCache must be zero or more, was " + readCache);
        }
        this.readCache = readCache;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One listing at a time, so concurrent requests wait for it rather than list the bucket each. */
    @Override
    public synchronized List<Partition> partitions(LocalDate day) {
        Instant now = clock.instant();
        if (!day.equals(listedDay) || Duration.between(listedAt, now).compareTo(readCache) >= 0) {
            partitions = summarize(files.list(prefix + LakePartitions.dayPath(day)));
            listedDay = day;
            listedAt = now;
        }
        return partitions;
    }

    private List<Partition> summarize(List<LakeObject> objects) {
        Map<String, Partition> byDirectory = new LinkedHashMap<>();
        for (LakeObject object : objects) {
            String directory = object.directory().substring(prefix.length());
            if (!PARTITION.matcher(directory).matches()) {
                continue;
            }
            String path = directory.substring(0, directory.length() - 1);
            byDirectory.merge(path, new Partition(path, 1, object.size(), object.lastModified()),
                    (a, b) -> new Partition(path, a.files() + b.files(), a.bytes() + b.bytes(),
                            a.lastModified().isAfter(b.lastModified()) ? a.lastModified() : b.lastModified()));
        }
        return List.copyOf(byDirectory.values());
    }
}
