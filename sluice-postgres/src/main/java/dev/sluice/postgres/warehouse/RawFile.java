package dev.sluice.postgres.warehouse;

import java.util.Objects;

/**
 * One raw file in object storage, pinned to the version that was listed: the ledger's natural key is
 * {@code key + eTag}, so a file loads once, and an overwritten file (a new ETag) would load again.
 *
 * @param key  the object key, e.g. {@code tracking-raw/dt=2026-11-22/181342-<uuid>.json.gz}
 * @param eTag the ETag the listing reported, unquoted
 * @param size the object's size in bytes, as listed; a gzip stream that ends early is only called truncated when
 *             this many bytes were read (fewer means the download broke, which is retried)
 */
public record RawFile(String key, String eTag, long size) {

    public RawFile {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eTag, "eTag");
        if (size < 0) {
            throw new IllegalArgumentException("size of " + key + " must not be negative, was " + size);
        }
    }

    /** The ledger's key of this file, for set lookups. */
    public LedgerKey ledgerKey() {
        return new LedgerKey(key, eTag);
    }

    /** A file as the ledger knows it. */
    public record LedgerKey(String key, String eTag) {
    }
}
