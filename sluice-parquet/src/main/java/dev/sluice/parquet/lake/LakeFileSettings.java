package dev.sluice.parquet.lake;

import dev.sluice.parquet.Compression;

import java.time.Duration;

/**
 * How the lake's Parquet files are cut and encoded. Every field has a default.
 *
 * <p>Memory: each open file buffers at most one row group before it goes to the local file, so the writer holds
 * about {@code maxOpenFiles × min(rowGroupBytes, maxFileBytes)} at worst; lower {@code rowGroupBytes} (or the cap)
 * when many partitions are open at once on a small heap.
 *
 * @param prefix        key prefix of the lake's files (default {@value #DEFAULT_PREFIX}); must end with '/'
 * @param maxFileBytes  a file rolls when its bytes written plus buffered reach this (default 128 MB)
 * @param maxFileAge    ... or when its first record is this old (default 5 minutes)
 * @param maxOpenFiles  at most this many files are open; opening one more rolls the least recently written
 *                      (default 100)
 * @param rowGroupBytes a row group goes to disk when it reaches about this many bytes (default 128 MB)
 * @param compression   column compression (default ZSTD; SNAPPY, GZIP, UNCOMPRESSED)
 */
public record LakeFileSettings(String prefix, Long maxFileBytes, Duration maxFileAge, Integer maxOpenFiles,
                               Long rowGroupBytes, Compression compression) {
    public static final String DEFAULT_PREFIX = "events/";
    public static final LakeFileSettings DEFAULTS = new LakeFileSettings(null, null, null, null, null, null);

    public LakeFileSettings {
        prefix = prefix == null ? DEFAULT_PREFIX : prefix;
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/"))) {
            throw new IllegalArgumentException("prefix must be empty or end with '/' and not start with it");
        }
        maxFileBytes = maxFileBytes == null ? 128L * 1024 * 1024 : maxFileBytes;
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes must be at least 1, was " + maxFileBytes);
        }
        maxFileAge = maxFileAge == null ? Duration.ofMinutes(5) : maxFileAge;
        if (maxFileAge.isNegative() || maxFileAge.isZero()) {
            throw new IllegalArgumentException("maxFileAge must be positive, was " + maxFileAge);
        }
        maxOpenFiles = maxOpenFiles == null ? 100 : maxOpenFiles;
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("maxOpenFiles must be at least 1, was " + maxOpenFiles);
        }
        rowGroupBytes = rowGroupBytes == null ? 128L * 1024 * 1024 : rowGroupBytes;
        if (rowGroupBytes < 1024) {
            throw new IllegalArgumentException("rowGroupBytes must be at least 1024, was " + rowGroupBytes);
        }
        compression = compression == null ? Compression.ZSTD : compression;
    }
}
