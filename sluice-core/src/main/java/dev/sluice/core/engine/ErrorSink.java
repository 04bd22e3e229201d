package dev.sluice.core.engine;

import java.util.List;

/** Stores rejected messages with their reason and raw payload, durably and idempotently like a {@link Sink}. */
@FunctionalInterface
public interface ErrorSink {

    void write(List<Rejected> rejects) throws Exception;
}
