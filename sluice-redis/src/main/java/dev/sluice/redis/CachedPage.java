package dev.sluice.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.GZIPOutputStream;

/**
 * The first page of groups as the {@code totals} routes serve it: the page, its document already serialized, and
 * when it was read.
 *
 * <p>The gzip form is made once per snapshot and kept: compressing a 1,000-user page takes milliseconds, so
 * compressing it per request, or letting every request that finds it missing compress it too, piles requests up
 * behind each other (measured: p99 0.5 s at 500 requests/s). Made by the refresher when clients asked for gzip of
 * the previous snapshot, so no request waits for it then; otherwise by the first request that asks, while the
 * others that ask meanwhile wait for that one.
 */
public final class CachedPage {

    private final UsersPage page;
    private final byte[] json;
    private final long readAtNanos;
    private final ReentrantLock compressing = new ReentrantLock();
    private volatile byte[] gzipped;
    private volatile boolean gzipAsked;

    /**
     * @param json the page's document
     * @param gzip whether to make the gzip form now (clients asked for it of the previous snapshot)
     */
    CachedPage(UsersPage page, byte[] json, long readAtNanos, boolean gzip) {
        this.page = Objects.requireNonNull(page, "page");
        this.json = Objects.requireNonNull(json, "json");
        this.readAtNanos = readAtNanos;
        if (gzip) {
            this.gzipped = gzip(json);
        }
    }

    public UsersPage page() {
        return page;
    }

    /** The page's document; shared, never modify it. */
    public byte[] json() {
        return json;
    }

    /** The same body gzipped; shared, never modify it. */
    public byte[] gzipped() {
        gzipAsked = true;
        byte[] result = gzipped;
        if (result == null) {
            compressing.lock();
            try {
                result = gzipped;
                if (result == null) {
                    result = gzip(json);
                    gzipped = result;
                }
            } finally {
                compressing.unlock();
            }
        }
        return result;
    }

    /**
     * Whether a client asked for the gzip form, so the next snapshot should be compressed up front; only requests
     * count, so the refresher stops compressing once clients stop asking.
     */
    boolean gzipAsked() {
        return gzipAsked;
    }

    /** Whether the gzip form is made already. */
    boolean compressed() {
        return gzipped != null;
    }

    /** {@link System#nanoTime()} when the snapshot was read from the store. */
    long readAtNanos() {
        return readAtNanos;
    }

    /** How long ago the snapshot was read, in ms. */
    public long ageMillis() {
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
