package dev.sluice.aws.s3;

import dev.sluice.core.engine.SourceCoordinates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An object as it was actually read: a local copy and the ETag of that copy, which may differ from the notified
 * ETag when the object was overwritten in between. Work derived from it is keyed by this ETag. Closing deletes the
 * local copy.
 */
public record DownloadedObject(Path file, String bucket, String key, String eTag, long size) implements AutoCloseable {

    /** Where the local copy came from, pinned to the ETag actually read. */
    public SourceCoordinates.StoredObject coordinates() {
        return new SourceCoordinates.StoredObject(bucket, key, eTag);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the local copy " + file, e);
        }
    }
}
