package dev.sluice.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The codecs Sluice's Parquet writers offer: those that need no native library beyond what parquet-java brings
 * (snappy-java, zstd-jni).
 */
public enum Compression {
    UNCOMPRESSED(CompressionCodecName.UNCOMPRESSED),
    SNAPPY(CompressionCodecName.SNAPPY),
    GZIP(CompressionCodecName.GZIP),
    ZSTD(CompressionCodecName.ZSTD);

    private final CompressionCodecName codec;

    Compression(CompressionCodecName codec) {
        this.codec = codec;
    }

    public CompressionCodecName codec() {
        return codec;
    }
}
