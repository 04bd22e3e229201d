package dev.sluice.postgres;

import dev.sluice.core.engine.Delivery;

/**
 * Turns one delivery into the values of one row, in the order of {@link TableSpec#columns()}. Values are bound as
 * JDBC parameters: strings, numbers, booleans, {@code java.time} types ({@link java.time.Instant} is bound as a UTC
 * timestamp), byte arrays, or null.
 */
@FunctionalInterface
public interface RowMapper<T> {

    Object[] toRow(Delivery<T> delivery);
}
