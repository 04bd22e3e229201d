package dev.sluice.core.files;

import dev.sluice.core.engine.PermanentFailureException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a {@link RollingFileSink} stores closed files: one bucket of an object store. Both calls are idempotent (a
 * put replaces the object under its key, deleting a missing key succeeds), so the sink may repeat them after any
 * failure. Anything thrown but a {@link PermanentFailureException} is treated as transient.
 */
public interface ObjectStore {

    /**
     * Stores {@code file} whole under {@code key}; durable when this returns.
     *
     * @param metadata facts about the file (event count, times), never event data
     * @throws PermanentFailureException when the store refuses for good (bucket missing, access denied); the message
     *                                   names the bucket and the rule, never the key
     */
    void put(Path file, String key, String contentType, Map<String, String> metadata) throws Exception;

    /** Deletes the object under {@code key}, if there is one. */
    void delete(String key) throws Exception;
}
