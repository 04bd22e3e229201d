package dev.sluice.core.plugin;

import dev.sluice.core.pipeline.Processor;
import java.util.List;

/**
 * Implemented by the settings of a source whose messages are turned into records by processors of its own (an S3
 * notification into the objects it names). The decoders come from the settings alone, so a pipeline test runs them
 * on sample messages without the source being opened; the source plugin builds its {@link Plugin.SourcePart} with
 * the same decoders, so both see one decoding.
 */
public interface DecodesMessages {
    /** The processors that turn one of this source's messages into the record its pipeline's processors get. */
    List<Processor> decoders();
}
