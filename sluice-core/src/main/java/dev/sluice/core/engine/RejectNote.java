package dev.sluice.core.engine;

import java.time.Instant;

/**
 * One reject as operators see it on the dashboard: when, why (the rule, never a value) and where it came from (the
 * PII-free source coordinates). The raw payload stays in the error sink.
 */
public record RejectNote(Instant time, String reason, String source) {
}
