package dev.sluice.core.files;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How a {@link RollingFileSink} writes events into one file: NDJSON gzip here in core ({@link NdjsonGzip}), Parquet
 * in its own module. A module offers a format as a named {@link dev.sluice.core.plugin.Service} of this type, which
 * the {@code files} sink's {@code format} setting chooses.
 */
public interface FileFormat {

    /** The file name's ending, dot included ({@code .json.gz}). */
    String extension();

    /** The stored object's content type. */
    String contentType();

    /**
     * Refuses an event this format cannot write, before anything of its batch is written: the runner then writes the
     * batch one event at a time and turns the refused one into a reject.
     *
     * @throws DestinationRejectedException naming the rule, never a value
     */
    void check(Event event) throws DestinationRejectedException;

    /**
     * This format for the fields that reach the sink, once per sink when it is built: a typed format (Parquet) takes
     * its columns from them; the others write whatever comes and return themselves.
     *
     * @throws IllegalArgumentException starting with {@code format}, when the format cannot write these fields
     */
    default FileFormat forFields(Fields reaching) {
        return this;
    }

    /** Creates {@code file} and opens a writer on it. */
    Writer open(Path file) throws IOException;

    /** Appends events to one open file; used by one thread at a time. */
    interface Writer {

        /** Appends an event {@link #check} accepted. */
        void append(Event event) throws IOException;

        /** What the events appended so far take, uncompressed: what {@code roll.maxBytes} bounds. */
        long bytes();

        /** Finishes the file; it is complete on disk when this returns. */
        void close() throws IOException;

        /** Closes the file after a failure, without finishing it: the caller deletes it. */
        void discard();
    }
}
