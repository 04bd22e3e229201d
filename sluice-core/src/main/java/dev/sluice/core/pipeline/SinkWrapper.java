package dev.sluice.core.pipeline;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.plugin.Plugin.SinkPart;

/**
 * A processor that works on the sink rather than on each event, such as dedupe, which must see the moment a file is
 * stored. Written last in {@code processors:}; the assembler wraps the sink with it. Events pass it unchanged.
 */
public interface SinkWrapper extends Processor {

    /** The sink with this step around it; may refuse a sink it cannot wrap (IllegalArgumentException). */
    SinkPart wrap(SinkPart sink);

    @Override
    default Outcome<Event> apply(Event event) {
        return Outcome.emit(event);
    }
}
