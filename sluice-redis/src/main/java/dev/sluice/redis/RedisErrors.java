package dev.sluice.redis;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.ErrorsPart;
import dev.sluice.core.plugin.PluginContext;
import java.time.Clock;
import java.util.List;

/**
 * The {@code redis_errors} error sink: records every reject (a malformed notification, or one naming a bad file)
 * in Redis with its reason and raw body, once per message, for the retention ({@link TotalsStore#recordReject});
 * the {@code totals} routes list them with {@code rejects: true}. A message is recorded as
 * {@code sqs:<queue>/<message id>}, the same for every delivery of it, so a message released for redrive and
 * received again is one record.
 *
 * <pre>{@code
 * errors: {type: redis_errors}     # keys P{<pipeline>}:rejects and P{<pipeline>}:rejects:<message>
 * }</pre>
 */
public final class RedisErrors implements ErrorSink {

    public static final Plugin<RedisErrorsSettings, ErrorsPart> PLUGIN = Plugin.errors("redis_errors",
            RedisErrorsSettings.class, "records each reject with its reason and raw body in Redis, once per message,"
                    + " and releases its message for the queue's redrive policy", RedisErrors::create);

    /** Sums are not touched here: the layout needs one name for them. */
    private static final List<String> NO_SUMS = List.of("sum");

    private final TotalsStore store;
    private final Clock clock;

    RedisErrors(TotalsStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    private static ErrorsPart create(RedisErrorsSettings settings, PluginContext context) {
        RedisSettings redis = context.section(RedisPlugins.SECTION);
        TotalsKeys keys = new TotalsKeys(settings.keyPrefix() == null ? redis.keyPrefix() : settings.keyPrefix(),
                settings.namespace() == null ? context.pipeline() : settings.namespace(), "group");
        TotalsStore store = context.closeAtEnd(TotalsStore.open(redis, keys, NO_SUMS,
                new TotalsRetention(null, settings.retention())));
        return new ErrorsPart(new RedisErrors(store, context.clock()), settings.afterwards());
    }

    @Override
    public void write(List<Rejected> rejects) throws Exception {
        for (Rejected reject : rejects) {
            store.recordReject(message(reject.source().coordinates()), reject.reason(), reject.source().body(),
                    clock.instant());
        }
    }

    /** {@code sqs:<queue>/<message id>}: the same for every delivery of a message, so it is recorded once. */
    static String message(SourceCoordinates where) {
        return where instanceof SourceCoordinates.Queue queue
                ? "sqs:" + queue.queue() + "/" + queue.messageId() : where.describe();
    }
}
