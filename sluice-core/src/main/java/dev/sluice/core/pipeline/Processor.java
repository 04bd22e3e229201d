package dev.sluice.core.pipeline;

import dev.sluice.core.engine.Stage;

/**
 * One step of a pipeline definition's {@code processors:} list: an {@link Event} in, an event out, dropped or
 * rejected with a reason. Like every {@link Stage} it keeps no per-message state and may run on many threads.
 *
 * <p>{@link #fieldsAfter} tells the assembler what the step does to the fields, so the next steps' settings can be
 * checked before anything starts.
 */
public interface Processor extends Stage<Event, Event> {

    /** The fields after this step, given {@code before}; by default it changes none. */
    default Fields fieldsAfter(Fields before) {
        return before;
    }
}
