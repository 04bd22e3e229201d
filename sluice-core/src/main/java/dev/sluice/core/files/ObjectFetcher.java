package dev.sluice.core.files;

import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.SourceCoordinates.StoredObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Brings one notified object onto local disk, for a sink that reads whole objects ({@code parquet_totals}): the module that owns the object store
 * offers it as a {@link dev.sluice.core.plugin.Service} (the sink's {@code fetcher} setting names it), so this module
 * does not depend on that store's client.
 *
 * @param <R> what the source puts in the event's objects field, one per object (e.g. an S3 object reference)
 */
public interface ObjectFetcher<R> {

    /** The class of one element of the objects field; anything else there is a wiring error. */
    Class<R> referenceType();

    /** The object as notified: bucket, key and the ETag the notification carried. */
    StoredObject notified(R reference);

    /**
     * Downloads the object as it is now into a new file under {@code workDirectory}.
     *
     * @throws ObjectGoneException        when the object or its bucket no longer exists (retrying cannot help): that
     *                                    one file is refused
     * @throws PermanentFailureException the store refuses for good (access denied): the pipeline's fault, not the
     *                                    file's; the reason names the bucket, never the key
     * @throws IOException                anything else (the store unreachable, a full disk): retried
     */
    Fetched fetch(R reference, Path workDirectory) throws IOException, ObjectGoneException, PermanentFailureException;

    /** A downloaded object; closing it deletes the file. */
    interface Fetched extends AutoCloseable {
        /** The version that was read: its ETag is the done marker's, whatever the notification said. */
        StoredObject version();

        Path file();

        @Override
        void close() throws IOException;
    }

    /** The notified object or its bucket is gone; its reason names the object, never its content. */
    final class ObjectGoneException extends Exception {
        public ObjectGoneException(String reason) {
            super(reason);
        }
    }
}
