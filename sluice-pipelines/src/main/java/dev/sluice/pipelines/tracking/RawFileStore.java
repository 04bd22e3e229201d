package dev.sluice.pipelines.tracking;

import java.nio.file.Path;
import java.util.Map;

/** Where closed raw files go: an S3 bucket in production ({@link TrackingArchivePipeline}). */
@FunctionalInterface
public interface RawFileStore {

    /**
     * Stores {@code file} under {@code key}, durably when it returns.
     *
     * @param metadata facts about the file (event count, time range), never event data
     * @throws Exception when it is not stored; the caller keeps the file and tries again
     */
    void store(Path file, String key, Map<String, String> metadata) throws Exception;
}
