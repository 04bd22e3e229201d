package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3NotificationFilterTest {

    @Test
    void defaultsTakeParquetFromAnyBucket() {
        S3NotificationFilter filter = S3NotificationFilter.defaults();

        assertThat(filter.keyPrefix()).isEmpty();
        assertThat(filter.keySuffix()).isEqualTo(".parquet");
        assertThat(filter.buckets()).isEmpty();
        assertThat(filter.exclusion(ref("any-bucket", "a/b.parquet"))).isEmpty();
        assertThat(filter.exclusion(ref("any-bucket", "a/b.csv")))
                .contains("key does not end with the suffix");
        assertThat(filter.exclusion(ref("any-bucket", "a/b.PARQUET"))).as("case-sensitive, like S3 keys")
                .contains("key does not end with the suffix");
    }

    @Test
    void anEmptySuffixTakesEveryKey() {
        assertThat(new S3NotificationFilter(null, "", null).exclusion(ref("b", "a/b.csv"))).isEmpty();
    }

    @Test
    void prefixAndBucketsAreChecked() {
        S3NotificationFilter filter = new S3NotificationFilter("datasets/", ".parquet", Set.of("playtime-datasets"));

        assertThat(filter.exclusion(ref("playtime-datasets", "datasets/day 1.parquet"))).isEmpty();
        assertThat(filter.exclusion(ref("playtime-datasets", "other/day 1.parquet")))
                .contains("key does not start with the prefix");
        assertThat(filter.exclusion(ref("someone-elses-bucket", "datasets/day 1.parquet")))
                .contains("bucket is not in the allow-list");
    }

    @Test
    void bucketNamesMustNotBeBlankAndTheSetIsCopied() {
        assertThatThrownBy(() -> new S3NotificationFilter(null, null, Set.of("a", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buckets must hold bucket names, found a blank or null entry");
        assertThatThrownBy(() -> new S3NotificationFilter(null, null, new HashSet<>(Arrays.asList("a", null))))
                .hasMessage("buckets must hold bucket names, found a blank or null entry");

        Set<String> buckets = new HashSet<>(Set.of("a"));
        S3NotificationFilter filter = new S3NotificationFilter(null, null, buckets);
        buckets.add("b");
        assertThat(filter.buckets()).containsExactly("a");
    }

    static S3ObjectRef ref(String bucket, String key) {
        return new S3ObjectRef(bucket, key, 1, "etag", Instant.EPOCH, "ObjectCreated:Put", Optional.empty(),
                Optional.empty());
    }
}
