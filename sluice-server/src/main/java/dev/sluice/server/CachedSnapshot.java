package dev.sluice.server;

import dev.sluice.redis.PlaytimeSnapshot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * One snapshot as the API serves it: the users for per-user lookups, the whole document already serialized, and
 * when it was read. The gzip form is made on first demand and kept: without it every client that accepts gzip
 * would have the server compress the whole document again (several ms for 10,000 users).
 */
final class CachedSnapshot {

    private final PlaytimeSnapshot snapshot;
    private final byte[] json;
    private final long readAtNanos;
    private volatile byte[] gzipped;

    CachedSnapshot(PlaytimeSnapshot snapshot, long readAtNanos) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.json = PlaytimeJson.snapshot(snapshot);
        this.readAtNanos = readAtNanos;
    }

    PlaytimeSnapshot snapshot() {
        return snapshot;
    }

    /** {@code GET /api/playtime}'s body; shared, never modify it. */
    byte[] json() {
        return json;
    }

    /** The same body gzipped; shared, never modify it. */
    byte[] gzipped() {
        byte[] result = gzipped;
        if (result == null) {
            // Two requests may both compress the first time; either result is the same, so no lock is needed.
            result = gzip(json);
            gzipped = result;
        }
        return result;
    }

    /** {@link System#nanoTime()} when the snapshot was read from the store. */
    long readAtNanos() {
        return readAtNanos;
    }

    /** How long ago the snapshot was read, in ms. */
    long ageMillis() {
        return (System.nanoTime() - readAtNanos) / 1_000_000L;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }
}
