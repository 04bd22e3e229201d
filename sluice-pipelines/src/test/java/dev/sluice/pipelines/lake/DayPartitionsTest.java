package dev.sluice.pipelines.lake;

import dev.sluice.local.LocalAwsAccount;
import dev.sluice.pipelines.partitions.DayPartitions;
import dev.sluice.pipelines.partitions.DayPartitions.Partition;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DayPartitions} over the lake's hive-style day folders on the embedded S3: objects put straight into the
 * bucket, in and around the lake.
 */
class DayPartitionsTest {

    private static final String ACCOUNT = "year=2026/month=11/day=22/event_type=account";
    private static final String PURCHASE = "year=2026/month=11/day=22/event_type=purchase";
    private static final String YESTERDAY = "year=2026/month=11/day=21/event_type=account";

    private static final LocalDate DAY = LocalDate.of(2026, 11, 22);
    private static final Duration CACHE = DayPartitions.DEFAULT_READ_CACHE;

    private final TestLake lake = new TestLake();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T18:00:00Z"), ZoneOffset.UTC);

    @Test
    void groupsTheDaysLakeFilesByPartitionWithTheirCountBytesAndNewestTime() {
        Map<String, Integer> lakeFiles = new LinkedHashMap<>();
        lakeFiles.put(TestLake.PREFIX + ACCOUNT + "/a.parquet", 100);
        lakeFiles.put(TestLake.PREFIX + ACCOUNT + "/b.parquet", 250);
        lakeFiles.put(TestLake.PREFIX + ACCOUNT + "/c.parquet", 7);
        lakeFiles.put(TestLake.PREFIX + PURCHASE + "/a.parquet", 40);
        lakeFiles.put(TestLake.PREFIX + YESTERDAY + "/a.parquet", 1_000);
        lakeFiles.forEach(this::put);
        // Not lake files: another file type in a partition, a Parquet file outside any partition or prefix.
        put(TestLake.PREFIX + ACCOUNT + "/notes.txt", 11);
        put(TestLake.PREFIX + "loose.parquet", 13);
        put(TestLake.PREFIX + "year=2026/stray/a.parquet", 17);
        put("other/" + ACCOUNT + "/a.parquet", 19);

        List<Partition> partitions = lakeDays(lake.s3, CACHE).partitions(DAY);

        Map<String, Instant> written = lake.s3.listObjectsV2Paginator(r -> r.bucket(lake.bucket)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::lastModified));
        assertThat(partitions).containsExactlyInAnyOrderElementsOf(List.of(ACCOUNT, PURCHASE).stream()
                .map(p -> expected(p, lakeFiles, written)).toList());
    }

    @Test
    void servesOneListingForTheReadCacheThenListsAgain() {
        put(TestLake.PREFIX + ACCOUNT + "/a.parquet", 100);
        DayPartitions partitions = lakeDays(lake.s3, CACHE);
        assertThat(partitions.partitions(DAY)).extracting(Partition::partition).containsExactly(ACCOUNT);

        put(TestLake.PREFIX + PURCHASE + "/a.parquet", 40);

        assertThat(partitions.partitions(DAY)).as("the clock stands still: within the read cache")
                .extracting(Partition::partition).containsExactly(ACCOUNT);
        DayPartitions uncached = lakeDays(lake.s3, Duration.ZERO);
        assertThat(uncached.partitions(DAY)).extracting(Partition::partition).containsExactlyInAnyOrder(ACCOUNT, PURCHASE);
        put(TestLake.PREFIX + ACCOUNT + "/b.parquet", 1);
        assertThat(uncached.partitions(DAY)).as("the cache over, the next request lists again")
                .extracting(Partition::files).containsExactlyInAnyOrder(2L, 1L);
        assertThat(partitions.partitions(DAY.minusDays(1))).as("another day is another listing").isEmpty();
    }

    @Test
    void listsOnlyTheDirectoryOfTheDayAskedForNeverTheWholeLake() {
        put(TestLake.PREFIX + ACCOUNT + "/a.parquet", 100);
        for (int day = 1; day <= 20; day++) {
            put(TestLake.PREFIX + String.format("year=2026/month=11/day=%02d/event_type=account/a.parquet", day), 1);
        }
        List<String> listedPrefixes = new CopyOnWriteArrayList<>();
        ExecutionInterceptor listings = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof ListObjectsV2Request list) {
                    listedPrefixes.add(list.prefix());
                }
            }
        };
        try (S3Client counted = S3Client.builder().endpointOverride(TestLake.S3.endpoint()).forcePathStyle(true)
                .region(LocalAwsAccount.REGION).credentialsProvider(LocalAwsAccount.credentials())
                .overrideConfiguration(c -> c.addExecutionInterceptor(listings)).build()) {
            List<Partition> partitions = lakeDays(counted, CACHE).partitions(DAY);

            assertThat(partitions).extracting(Partition::partition).containsExactly(ACCOUNT);
            assertThat(listedPrefixes).containsExactly(TestLake.PREFIX + "year=2026/month=11/day=22/");
        }
    }

    @Test
    void aNegativeReadCacheIsRefusedByName() {
        assertThatThrownBy(() -> lakeDays(lake.s3, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readCache");
    }

    @Test
    void anEmptyLakeHasNoPartitions() {
        assertThat(lakeDays(lake.s3, CACHE).partitions(DAY)).isEmpty();
    }

    /** The lake's days: {@code <prefix>year=…/month=…/day=…/}. */
    private DayPartitions lakeDays(S3Client s3, Duration readCache) {
        return new DayPartitions(s3, lake.bucket, TestLake.PREFIX, DayPartitions.HIVE_DAY, readCache, clock);
    }

    private static Partition expected(String partition, Map<String, Integer> files, Map<String, Instant> written) {
        String directory = TestLake.PREFIX + partition + "/";
        List<String> keys = files.keySet().stream().filter(k -> k.startsWith(directory)).toList();
        return new Partition(partition, keys.size(), keys.stream().mapToLong(files::get).sum(),
                keys.stream().map(written::get).max(Instant::compareTo).orElseThrow());
    }

    private void put(String key, int size) {
        lake.s3.putObject(r -> r.bucket(lake.bucket).key(key), RequestBody.fromBytes(new byte[size]));
    }
}
