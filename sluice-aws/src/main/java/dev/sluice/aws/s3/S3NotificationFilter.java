package dev.sluice.aws.s3;

import java.util.Optional;
import java.util.Set;

/**
 * Which created objects a pipeline wants from its notifications. S3 can filter by prefix and suffix itself, but a
 * queue may be shared, a bucket's configuration may be wider than one pipeline, and the local store sends
 * everything; so the pipeline checks again. Matching is on the decoded key and case-sensitive, like S3 keys.
 *
 * @param keyPrefix the key must start with this; {@code null} or empty: any key. Default empty
 * @param keySuffix the key must end with this; {@code null}: {@value #DEFAULT_KEY_SUFFIX}; empty: any key
 * @param buckets   the buckets objects may come from; {@code null} or empty: any bucket. A notification from
 *                  another bucket usually means a misrouted configuration, which the drop reason makes visible
 */
public record S3NotificationFilter(String keyPrefix, String keySuffix, Set<String> buckets) {

    public static final String DEFAULT_KEY_SUFFIX = ".parquet";

    public S3NotificationFilter {
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        keySuffix = keySuffix == null ? DEFAULT_KEY_SUFFIX : keySuffix;
        buckets = buckets == null ? Set.of() : requireBucketNames(buckets);
    }

    /** Any bucket, any prefix, keys ending in {@value #DEFAULT_KEY_SUFFIX}. */
    public static S3NotificationFilter defaults() {
        return new S3NotificationFilter(null, null, null);
    }

    /**
     * Which rule leaves {@code object} out, for a drop reason; empty when the pipeline wants it. The rule is
     * named, the key is not: keys can hold personal data.
     */
    public Optional<String> exclusion(S3ObjectRef object) {
        if (!buckets.isEmpty() && !buckets.contains(object.bucket())) {
            return Optional.of("bucket is not in the allow-list");
        }
        if (!object.key().startsWith(keyPrefix)) {
            return Optional.of("key does not start with the prefix");
        }
        if (!object.key().endsWith(keySuffix)) {
            return Optional.of("key does not end with the suffix");
        }
        return Optional.empty();
    }

    private static Set<String> requireBucketNames(Set<String> buckets) {
        for (String bucket : buckets) {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("buckets must hold bucket names, found a blank or null entry");
            }
        }
        return Set.copyOf(buckets);
    }
}
