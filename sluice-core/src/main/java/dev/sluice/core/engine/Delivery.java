package dev.sluice.core.engine;

/** A value on its way to a sink, with the message it came from (its coordinates are the natural key). */
public record Delivery<T>(Message source, T value) {
}
