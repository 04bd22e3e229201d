package dev.sluice.core.dedupe;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size Bloom filter of strings: {@link #mightContain} is never false for an added key and true for a key
 * never added with about the configured probability. Safe for concurrent use (bits are set atomically).
 */
final class BloomFilter {

    private final AtomicLongArray words;
    private final long bits;
    private final int hashes;

    BloomFilter(long expectedKeys, double falsePositiveRate) {
        // The textbook optimum: m = -n ln p / (ln 2)^2 bits and k = m/n ln 2 hash functions.
        long m = (long) Math.ceil(-expectedKeys * Math.log(falsePositiveRate) / (Math.log(2) * Math.log(2)));
        int wordCount = (int) Math.max(1, (m + 63) / 64);
        this.words = new AtomicLongArray(wordCount);
        this.bits = wordCount * 64L;
        this.hashes = (int) Math.max(1, Math.round((double) bits / expectedKeys * Math.log(2)));
    }

    /** A key's two hashes, computed once and probed against any number of filters. */
    record Hashes(long h1, long h2) {
        static Hashes of(String key) {
            return new Hashes(hash(key, 0x9E3779B97F4A7C15L), hash(key, 0xC2B2AE3D27D4EB4FL) | 1);
        }
    }

    void add(String key) {
        Hashes h = Hashes.of(key);
        long h1 = h.h1();
        long h2 = h.h2();
        for (int i = 0; i < hashes; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            int word = (int) (bit >>> 6);
            long mask = 1L << (bit & 63);
            long current;
            do {
                current = words.get(word);
            } while ((current & mask) == 0 && !words.compareAndSet(word, current, current | mask));
        }
    }

    boolean mightContain(Hashes h) {
        long h1 = h.h1();
        long h2 = h.h2();
        for (int i = 0; i < hashes; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            if ((words.get((int) (bit >>> 6)) & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }


    /** FNV-1a over the UTF-8 bytes from a seed, finished with the SplitMix64 mixer so nearby keys spread. */
    private static long hash(String key, long seed) {
        long h = seed;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001B3L;
        }
        h ^= h >>> 30;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 27;
        h *= 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
