package dev.sluice.core.engine;

import java.util.List;

/**
 * Writes values durably and idempotently under their natural key (DESIGN.md §2, rule 2): writing the same
 * deliveries again, after any crash, changes nothing. When {@link #write} returns, the values are durable and the
 * runner may acknowledge their messages.
 */
@FunctionalInterface
public interface Sink<T> {

    /**
     * @throws Exception when the write did not become durable; the runner retries with backoff and the messages
     *                   stay claimed meanwhile. Any exception is treated as transient, because a value reaching the
     *                   sink has already passed every rule.
     */
    void write(List<Delivery<T>> deliveries) throws Exception;
}
