package dev.sluice.redis;

import dev.sluice.core.engine.RejectedMessages;
import java.time.Duration;

/**
 * Settings of the {@code redis_errors} error sink: where the rejects are recorded, in the layout of a
 * {@code parquet_totals} sink's namespace (so the {@code totals} routes list them), and what happens to their
 * messages afterwards. Errors start with the setting's key.
 *
 * @param namespace  the hash tag of the keys (default: the pipeline's name); the sink's namespace
 * @param keyPrefix  the start of every key (default: the {@code redis:} section's {@code keyPrefix}); no braces
 * @param retention  how long a reject's record, with its raw body, stays listed (default 30 days); at least 1 s
 * @param afterwards {@code release_for_redrive} (default): the message goes back to the queue at once, and its
 *                   redrive policy moves it, unchanged and replayable, to the dead-letter queue; for notifications
 *                   that point at data elsewhere. {@code acknowledge}: it is deleted, its body kept here only
 */
public record RedisErrorsSettings(String namespace, String keyPrefix, Duration retention,
                                  RejectedMessages afterwards) {

    public RedisErrorsSettings {
        TotalsKeys.checkSettings(namespace, "group", keyPrefix);
        retention = retention == null ? TotalsRetention.DEFAULT_FAILURES : retention;
        if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("retention must be at least 1s, was " + retention);
        }
        afterwards = afterwards == null ? RejectedMessages.RELEASE_FOR_REDRIVE : afterwards;
    }
}
