package dev.sluice.pipelines;

/** The rules of the {@code bucket} and {@code prefix} settings the plugins that read S3 folders share. */
public final class BucketFolder {

    private BucketFolder() {
    }

    /** {@code bucket}, which is required; {@code holds} says what is in it, for the error. */
    public static String bucket(String bucket, String holds) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket is required: the bucket " + holds + " are in");
        }
        return bucket;
    }

    /** {@code prefix}, empty when absent; else a folder such as {@code example}: ending with /, not starting with /. */
    public static String prefix(String prefix, String example) {
        String folder = prefix == null ? "" : prefix;
        if (!folder.isEmpty() && (!folder.endsWith("/") || folder.startsWith("/"))) {
            throw new IllegalArgumentException("prefix must be empty or a folder such as " + example + " (ending with"
                    + " / and not starting with one), got '" + folder + "'");
        }
        return folder;
    }
}
