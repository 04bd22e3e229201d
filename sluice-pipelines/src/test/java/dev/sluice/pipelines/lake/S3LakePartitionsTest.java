package dev.sluice.pipelines.lake;

import dev.sluice.server.LakePartitions.Partition;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The partitions summary over the embedded S3: objects put straight into the bucket, in and around the lake. */
class S3LakePartitionsTest {

    private static final String ACCOUNT = "year=2026/month=11/day=22/event_type=account";
    private static final String PURCHASE = "year=2026/month=11/day=22/event_type=purchase";
    private static final String YESTERDAY = "year=2026/month=11/day=21/event_type=account";

    private static final Duration CACHE = S3LakePartitions.DEFAULT_READ_CACHE;

    private final TestLake lake = new TestLake();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T18:00:00Z"), ZoneOffset.UTC);

    @Test
    void groupsTheLakeFilesByPartitionWithTheirCountBytesAndNewestTime() {
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

        List<Partition> partitions = new S3LakePartitions(lake.s3, lake.bucket, TestLake.PREFIX, CACHE, clock).partitions();

        Map<String, Instant> written = lake.s3.listObjectsV2Paginator(r -> r.bucket(lake.bucket)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::lastModified));
        assertThat(partitions).containsExactlyInAnyOrderElementsOf(List.of(ACCOUNT, PURCHASE, YESTERDAY).stream()
                .map(p -> expected(p, lakeFiles, written)).toList());
    }

    @Test
    void servesOneListingForTheReadCacheThenListsAgain() {
        put(TestLake.PREFIX + ACCOUNT + "/a.parquet", 100);
        S3LakePartitions partitions = new S3LakePartitions(lake.s3, lake.bucket, TestLake.PREFIX, CACHE, clock);
        assertThat(partitions.partitions()).extracting(Partition::partition).containsExactly(ACCOUNT);

        put(TestLake.PREFIX + PURCHASE + "/a.parquet", 40);

        assertThat(partitions.partitions()).as("the clock stands still: within the read cache")
                .extracting(Partition::partition).containsExactly(ACCOUNT);
        S3LakePartitions uncached = new S3LakePartitions(lake.s3, lake.bucket, TestLake.PREFIX, Duration.ZERO, clock);
        assertThat(uncached.partitions()).extracting(Partition::partition).containsExactlyInAnyOrder(ACCOUNT, PURCHASE);
        put(TestLake.PREFIX + YESTERDAY + "/a.parquet", 1);
        assertThat(uncached.partitions()).as("the cache over, the next request lists again")
                .extracting(Partition::partition).containsExactlyInAnyOrder(ACCOUNT, PURCHASE, YESTERDAY);
    }

    @Test
    void aNegativeReadCacheIsRefusedByName() {
        assertThatThrownBy(() -> new S3LakePartitions(lake.s3, lake.bucket, TestLake.PREFIX, Duration.ofSeconds(-1),
                clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readCache");
    }

    @Test
    void anEmptyLakeHasNoPartitions() {
        assertThat(new S3LakePartitions(lake.s3, lake.bucket, TestLake.PREFIX, CACHE, clock).partitions()).isEmpty();
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
