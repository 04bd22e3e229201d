package dev.sluice.redis;

import dev.sluice.core.engine.PermanentFailureException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store's tests in the layout the shipped playtime definition writes: groups are users, fields event types, one
 * summed column of seconds ({@code P{playtime}:user:<id>}, {@code P{playtime}:total}, …).
 */
final class UserSecondsLayout {
    static final List<String> SUMS = List.of("EventDuration");

    private UserSecondsLayout() {
    }

    static TotalsKeys keys(String prefix) {
        return new TotalsKeys(prefix, "playtime", "user");
    }

    static TotalsStore open(RedisSettings settings) {
        return open(settings, TotalsRetention.DEFAULTS);
    }

    static TotalsStore open(RedisSettings settings, TotalsRetention retention) {
        return TotalsStore.open(settings, keys(settings.keyPrefix()), SUMS, retention);
    }

    /** Counts a file of {@code deltas} (user → event type → seconds), as the sink does. */
    static boolean apply(TotalsStore store, String marker, Map<String, Map<String, Long>> deltas)
            throws PermanentFailureException {
        Map<String, Map<String, long[]>> amounts = new TreeMap<>();
        deltas.forEach((user, types) -> {
            Map<String, long[]> seconds = new TreeMap<>();
            types.forEach((type, value) -> seconds.put(type, new long[] {value}));
            amounts.put(user, seconds);
        });
        return store.applyFile(marker, amounts);
    }
}
