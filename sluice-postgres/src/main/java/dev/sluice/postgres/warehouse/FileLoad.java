package dev.sluice.postgres.warehouse;

/**
 * What loading one raw file did (PII-free: counts and coordinates only).
 *
 * @param file       the file
 * @param skipped    true when the ledger already had it: nothing was read or written
 * @param rowsLoaded rows inserted into the warehouse table
 * @param duplicates good lines whose id was already there (or earlier in the same file), skipped
 * @param errors     lines recorded in the load-errors table (including a truncated gzip tail)
 */
public record FileLoad(RawFile file, boolean skipped, long rowsLoaded, long duplicates, long errors) {

    static FileLoad alreadyLoaded(RawFile file) {
        return new FileLoad(file, true, 0, 0, 0);
    }
}
