package dev.sluice.pipelines.partitions;

import dev.sluice.pipelines.lake.LakeFiles;
import dev.sluice.pipelines.lake.LakeObject;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The partitions of one day of Parquet files partitioned by day, from a listing of that day's folder only
 * ({@code <prefix><day folder>/}), never of the whole bucket: its {@code .parquet} objects grouped by their folder
 * below the prefix, with file count, bytes and the newest object's time. So a request costs one day of files,
 * however old the data. A file right in the day folder, in no partition below it, is skipped. The last day's
 * summary is kept for {@code readCache}, so a page polling every two seconds from several tabs lists the day at most
 * once per period; a failing listing throws and is tried again at the next request.
 *
 * <pre>{@code
 * new DayPartitions(s3, "lake", "events/", "year={yyyy}/month={MM}/day={dd}", DayPartitions.DEFAULT_READ_CACHE,
 *         Clock.systemUTC()).partitions(LocalDate.of(2026, 11, 22));
 * }</pre>
 */
public final class DayPartitions {

    /** How long one listing is served: a few polls of the dashboard. */
    public static final Duration DEFAULT_READ_CACHE = Duration.ofSeconds(5);
    /** Hive style, as the lake writes it: {@code year=2026/month=11/day=22}. */
    public static final String HIVE_DAY = "year={yyyy}/month={MM}/day={dd}";

    /**
     * One partition folder.
     *
     * @param partition    its path below the prefix, e.g. {@code year=2026/month=11/day=22/event_type=account}
     * @param files        how many Parquet files it holds
     * @param bytes        their total size
     * @param lastModified when the newest of them was written
     */
    public record Partition(String partition, long files, long bytes, Instant lastModified) {
    }

    private final LakeFiles files;
    private final String prefix;
    private final String day;
    private final Duration readCache;
    private final Clock clock;
    private LocalDate listedDay;
    private List<Partition> partitions;
    private Instant listedAt;

    /**
     * @param day the folders of one day below the prefix, with {@code {yyyy}}, {@code {MM}} and {@code {dd}} (see
     *            {@link #checkDay})
     */
    public DayPartitions(S3Client s3, String bucket, String prefix, String day, Duration readCache, Clock clock) {
        this.files = new LakeFiles(s3, bucket);
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.day = checkDay(day);
        if (readCache == null || readCache.isNegative()) {
            throw new IllegalArgumentException("readCache must be zero or more, was " + readCache);
        }
        this.readCache = readCache;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A day template: each of {@code {yyyy}}, {@code {MM}}, {@code {dd}} once, folders separated by single '/',
     * neither starting nor ending with one.
     *
     * @throws IllegalArgumentException starting with {@code day}
     */
    public static String checkDay(String day) {
        Objects.requireNonNull(day, "day");
        for (String part : List.of("{yyyy}", "{MM}", "{dd}")) {
            if (day.indexOf(part) < 0 || day.indexOf(part) != day.lastIndexOf(part)) {
                throw new IllegalArgumentException("day must hold each of {yyyy}, {MM} and {dd} once, like "
                        + HIVE_DAY + "; was '" + day + "'");
            }
        }
        if (day.startsWith("/") || day.endsWith("/") || day.contains("//")) {
            throw new IllegalArgumentException("day must be folders separated by single '/', neither starting nor "
                    + "ending with one; was '" + day + "'");
        }
        return day;
    }

    /** The folders of {@code date} below the prefix, with a trailing '/': {@code year=2026/month=11/day=22/}. */
    public String dayPath(LocalDate date) {
        return day.replace("{yyyy}", String.format(Locale.ROOT, "%04d", date.getYear()))
                .replace("{MM}", String.format(Locale.ROOT, "%02d", date.getMonthValue()))
                .replace("{dd}", String.format(Locale.ROOT, "%02d", date.getDayOfMonth())) + "/";
    }

    /** One listing at a time, so concurrent requests wait for it rather than list the bucket each. */
    public synchronized List<Partition> partitions(LocalDate date) {
        Instant now = clock.instant();
        if (!date.equals(listedDay) || Duration.between(listedAt, now).compareTo(readCache) >= 0) {
            String dayPath = dayPath(date);
            partitions = summarize(files.list(prefix + dayPath), dayPath);
            listedDay = date;
            listedAt = now;
        }
        return partitions;
    }

    private List<Partition> summarize(List<LakeObject> objects, String dayPath) {
        Map<String, Partition> byFolder = new LinkedHashMap<>();
        for (LakeObject object : objects) {
            String folder = object.directory().substring(prefix.length());
            if (folder.length() <= dayPath.length()) {
                continue;
            }
            String path = folder.substring(0, folder.length() - 1);
            byFolder.merge(path, new Partition(path, 1, object.size(), object.lastModified()),
                    (a, b) -> new Partition(path, a.files() + b.files(), a.bytes() + b.bytes(),
                            a.lastModified().isAfter(b.lastModified()) ? a.lastModified() : b.lastModified()));
        }
        return List.copyOf(byFolder.values());
    }
}
