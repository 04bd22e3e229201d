package dev.sluice.core.files;

/**
 * An object store service ({@code store: s3} of the {@code files} sink): one per process, offered by a module as a
 * named {@link dev.sluice.core.plugin.Service}; each sink asks it for its bucket, so the service holds the client
 * and the sink's settings hold the bucket.
 */
@FunctionalInterface
public interface ObjectStores {

    /** The store of {@code bucket}; no call is made here, a missing bucket shows at the first put. */
    ObjectStore forBucket(String bucket);
}
