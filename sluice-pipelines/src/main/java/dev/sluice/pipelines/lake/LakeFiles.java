package dev.sluice.pipelines.lake;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Lists the lake's Parquet objects in a bucket under a prefix (all pages, in key order). */
public final class LakeFiles {

    private final S3Client s3;
    private final String bucket;

    public LakeFiles(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    public String bucket() {
        return bucket;
    }

    /** Every {@code .parquet} object whose key starts with {@code prefix}. */
    public List<LakeObject> list(String prefix) {
        List<LakeObject> objects = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .continuationToken(token).build());
            for (S3Object o : page.contents()) {
                if (o.key().endsWith(".parquet")) {
                    objects.add(new LakeObject(o.key(), unquoted(o.eTag()), o.size(), o.lastModified()));
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return objects;
    }

    static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
