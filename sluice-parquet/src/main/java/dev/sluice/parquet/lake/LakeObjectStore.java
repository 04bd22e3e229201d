package dev.sluice.parquet.lake;

import dev.sluice.core.engine.PermanentFailureException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where closed lake files go: S3 in production, a directory in tests and benchmarks. An object must become visible
 * only complete (S3: one PutObject), and putting a key again replaces it, so a replay overwrites instead of adding.
 */
public interface LakeObjectStore {

    /**
     * Stores the whole of {@code file} under {@code key}; when this returns, the object is durable.
     *
     * @throws IOException               (or any runtime exception of a client) when it was not stored; the writer
     *                                   keeps the file and tries again
     * @throws PermanentFailureException when the store refuses it for good (bucket missing, access denied); the
     *                                   writer keeps the file too, and the engine reports the pipeline FAILING
     */
    void put(String key, Path file) throws IOException, PermanentFailureException;

    /**
     * Deletes the object under {@code key}, if there is one: a stored file taken back because its events could not
     * be recorded (the lake's sink).
     *
     * @throws IOException               (or any runtime exception of a client) when it may not be deleted
     * @throws PermanentFailureException when the store refuses it for good
     */
    void delete(String key) throws IOException, PermanentFailureException;
}
