package dev.sluice.core.engine;

/** A message that broke a rule: the raw payload is kept with the reason, so a reject is data, never a loss. */
public record Rejected(Message source, String reason) {
}
