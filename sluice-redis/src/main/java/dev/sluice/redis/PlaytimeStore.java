package dev.sluice.redis;

import dev.sluice.core.engine.PermanentFailureException;
import redis.clients.jedis.UnifiedJedis;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The playtime aggregates: a {@link TotalsStore} in the playtime layout ({@link PlaytimeKeys}: groups are users,
 * fields are event types, one summed column of seconds), under the names the playtime pipeline, its API and its
 * tools use until playtime is a definition of {@code parquet_totals}. Every rule, failure and limit is the totals
 * store's.
 */
public final class PlaytimeStore implements AutoCloseable {

    /** The most users or failures one page read may ask for. */
    public static final int MAX_PAGE_SIZE = TotalsStore.MAX_PAGE_SIZE;

    private final TotalsStore totals;

    /** Uses {@code redis} as it is and leaves closing it to the caller's {@link #close()} of this store. */
    PlaytimeStore(UnifiedJedis redis, PlaytimeKeys keys, PlaytimeRetention retention) {
        this(new TotalsStore(redis, keys.totals(), PlaytimeKeys.SUMS, retention.totals()));
    }

    private PlaytimeStore(TotalsStore totals) {
        this.totals = totals;
    }

    /** A store with the default retention ({@link PlaytimeRetention#DEFAULTS}), e.g. to read or check. */
    public static PlaytimeStore open(RedisSettings settings) {
        return open(settings, PlaytimeRetention.DEFAULTS);
    }

    /** A store with its own connection pool; nothing connects until the first call. */
    public static PlaytimeStore open(RedisSettings settings, PlaytimeRetention retention) {
        return new PlaytimeStore(TotalsStore.open(settings, new PlaytimeKeys(settings.keyPrefix()).totals(),
                PlaytimeKeys.SUMS, retention.totals()));
    }

    /**
     * Counts one file, once: {@link TotalsStore#applyFile} with each event type's seconds as its one amount.
     *
     * @param marker {@code bucket/key@etag} of the file version that was read ({@link PlaytimeKeys#marker})
     * @param deltas user id → event type → seconds to add
     * @return true when the file was counted now, false when it had been counted before (nothing changed)
     */
    public boolean applyFile(String marker, Map<String, Map<String, Long>> deltas) throws PermanentFailureException {
        Objects.requireNonNull(deltas, "deltas");
        Map<String, Map<String, long[]>> amounts = new TreeMap<>();
        deltas.forEach((user, byType) -> {
            Objects.requireNonNull(byType, "deltas of a user");
            Map<String, long[]> perType = new TreeMap<>();
            byType.forEach((type, seconds) -> {
                if (type.isEmpty()) {
                    throw new IllegalArgumentException("event type must not be empty");
                }
                if (seconds == null) {
                    throw new IllegalArgumentException("amounts must be zero or more, got null for field '" + type
                            + "'");
                }
                perType.put(type, new long[] {seconds});
            });
            amounts.put(user, perType);
        });
        return totals.applyFile(marker, amounts);
    }

    /** The most users one file may have with {@code eventTypes} event types: one command must carry it all. */
    public static int maxUsers(int eventTypes) {
        return TotalsStore.maxGroups(PlaytimeKeys.SUMS.size(), eventTypes);
    }

    /** See {@link TotalsStore#groups}. */
    public UsersPage users(String cursor, int size) {
        return totals.groups(cursor, size);
    }

    /** See {@link TotalsStore#allGroups}; for tests and tools. */
    public SortedMap<String, Map<String, Long>> allUsers() {
        return totals.allGroups();
    }

    /** See {@link TotalsStore#top}. */
    public TopUsers top(int count) {
        return totals.top(count);
    }

    /** One user's seconds by event type, plus {@value PlaytimeKeys#TOTAL_FIELD}; empty for an unknown user. */
    public Optional<Map<String, Long>> user(String id) {
        return totals.group(id);
    }

    public long totalPlaytime() {
        return totals.total();
    }

    public boolean isApplied(String marker) throws PermanentFailureException {
        return totals.isApplied(marker);
    }

    /** See {@link TotalsStore#recordFailure}. */
    public boolean recordFailure(String bucket, String key, String etag, String reason, Instant time)
            throws PermanentFailureException {
        return totals.recordFailure(bucket, key, etag, reason, time);
    }

    /** See {@link TotalsStore#recordReject}. */
    public boolean recordReject(String message, String reason, String body, Instant time)
            throws PermanentFailureException {
        return totals.recordReject(message, reason, body, time);
    }

    public Page<FailedFile> failures(String cursor, int size) {
        return totals.failures(cursor, size);
    }

    /** Every failed file; for tests and tools. */
    public List<FailedFile> failures() {
        return totals.failures();
    }

    public Page<RejectedNotification> rejects(String cursor, int size) {
        return totals.rejects(cursor, size);
    }

    public void ping() {
        totals.ping();
    }

    @Override
    public void close() {
        totals.close();
    }
}
