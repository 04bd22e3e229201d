package dev.sluice.redis;

import dev.sluice.core.engine.PermanentFailureException;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The playtime aggregates in Redis: per-user seconds by event type, per-user and global totals, the markers of
 * files already counted, and the files that could not be counted. Key layout: {@link PlaytimeKeys}.
 *
 * <p>Exactly once: {@link #applyFile} adds all of one file's deltas and its done marker {@code bucket/key@etag} in
 * one Lua script. Redis runs a script alone, and the script checks everything that could make a command fail
 * before its first write, so a file counts entirely or not at all. When the marker is there the script changes
 * nothing, so calling again after any failure (Redis down, a lost reply, a crash before the SQS delete) is safe:
 * that is what the engine does with a {@link RedisUnavailableException}.
 *
 * <p>Failures never carry Redis's reply text, which can hold a key and so a user id ({@link RedisFailures}):
 * writes throw {@link PermanentFailureException} for what retrying cannot mend (a key of this layout holding
 * another type, refused credentials, memory full) and {@link RedisUnavailableException} for what passes (a
 * connection failure, a failover); reads throw {@link RedisUnavailableException} for both.
 *
 * <p>A file is never split over several scripts (it would count partly if the second failed), so one command
 * carries it: one key and one argument per user ({@code "total,a1,…,aT"}, the id is taken from the key), about
 * 20,000 elements for 10,000 users. Redis 6.2 refuses commands of more than 1,048,576 elements ("invalid multibulk
 * length", measured), which caps a file at {@link #maxUsers} users (524,280 with 3 event types); a larger file is
 * refused before anything is sent. Redis 7 has no such cap but the same cap applies, so a file counts the same on
 * both. Scripts never {@code unpack} the arguments, so Lua's stack limit (about 8,000) does not apply.
 *
 * <p>What grows with the data is read in pages and expires: users are read a page at a time ({@link #users}, SSCAN
 * from a cursor) and the leaderboard ({@link #top}) from a sorted set apply-file keeps, so no call costs more than a
 * page whatever the number of users; done markers and failure records expire after their {@link PlaytimeRetention},
 * and failures are read a page at a time too ({@link #failures(String, int)}).
 *
 * <p>Thread-safe: calls share a pool of connections.
 */
public final class PlaytimeStore implements AutoCloseable {

    private static final RedisScript APPLY_FILE = RedisScript.load("apply-file");
    private static final RedisScript READ_USERS = RedisScript.load("read-users");
    private static final RedisScript RECORD = RedisScript.load("record");
    private static final RedisScript READ_RECORDS = RedisScript.load("read-records");
    private static final RedisScript READ_TOP = RedisScript.load("read-top");
    /** The most users or failures one page read may ask for: a page is one script, which blocks Redis meanwhile. */
    public static final int MAX_PAGE_SIZE = 10_000;
    /** The cursor of a first page (and what SSCAN answers after the last). */
    private static final String FIRST = "0";

    /**
     * Redis 6.2 refuses a command of more elements (name and arguments) than this; Redis 7 allows more, but a file
     * must count the same on both.
     */
    static final int MAX_COMMAND_ELEMENTS = 1024 * 1024;
    /** EVALSHA, the SHA-1, the key count, apply-file's five fixed keys and its five fixed arguments. */
    private static final int FIXED_ELEMENTS = 13;

    private final UnifiedJedis redis;
    private final PlaytimeKeys keys;
    private final PlaytimeRetention retention;

    /** Uses {@code redis} as it is and leaves closing it to the caller's {@link #close()} of this store. */
    PlaytimeStore(UnifiedJedis redis, PlaytimeKeys keys, PlaytimeRetention retention) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** A store with the default retention ({@link PlaytimeRetention#DEFAULTS}), e.g. to read or check. */
    public static PlaytimeStore open(RedisSettings settings) {
        return open(settings, PlaytimeRetention.DEFAULTS);
    }

    /** A store with its own connection pool; nothing connects until the first call. */
    public static PlaytimeStore open(RedisSettings settings, PlaytimeRetention retention) {
        DefaultJedisClientConfig client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .socketTimeoutMillis((int) settings.commandTimeout().toMillis())
                .password(settings.password())
                .database(settings.database())
                .ssl(settings.tls())
                .clientName("sluice-playtime")
                .build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.maxConnections());
        pool.setMaxIdle(settings.maxConnections());
        pool.setMaxWait(settings.connectTimeout());
        RedisClient redis = RedisClient.builder()
                .hostAndPort(settings.host(), settings.port())
                .clientConfig(client)
                .poolConfig(pool)
                .build();
        return new PlaytimeStore(redis, new PlaytimeKeys(settings.keyPrefix()), retention);
    }

    /**
     * Counts one file, once.
     *
     * @param marker {@code bucket/key@etag} of the file version that was read ({@link PlaytimeKeys#marker})
     * @param deltas user id → event type → seconds to add; amounts are never negative and no event type may be
     *               called {@value PlaytimeKeys#TOTAL_FIELD}
     * @return true when the file was counted now, false when it had been counted before (nothing changed)
     * @throws IllegalArgumentException  when the deltas break a rule above or the file has more than
     *                                   {@link #maxUsers} users (retrying cannot help)
     * @throws PermanentFailureException when Redis refuses the script for a reason retrying cannot mend
     */
    public boolean applyFile(String marker, Map<String, Map<String, Long>> deltas) throws PermanentFailureException {
        requireText("marker", marker);
        Objects.requireNonNull(deltas, "deltas");
        SortedSet<String> types = new TreeSet<>();
        deltas.forEach((user, byType) -> {
            requireText("user id", user);
            Objects.requireNonNull(byType, () -> "deltas of user " + user);
            byType.forEach((type, seconds) -> {
                requireText("event type", type);
                if (type.equals(PlaytimeKeys.TOTAL_FIELD)) {
                    throw new IllegalArgumentException("event type must not be '" + PlaytimeKeys.TOTAL_FIELD
                            + "', the field of the user's total");
                }
                if (seconds == null || seconds < 0) {
                    throw new IllegalArgumentException("seconds must be zero or more, got " + seconds
                            + " for event type '" + type + "'");
                }
                types.add(type);
            });
        });

        long elements = FIXED_ELEMENTS + types.size() + 2L * deltas.size();
        if (elements > MAX_COMMAND_ELEMENTS) {
            throw new IllegalArgumentException("a file must have at most " + maxUsers(types.size())
                    + " users with " + types.size() + " event types to be counted in one Redis command, this one has "
                    + deltas.size());
        }

        List<String> scriptKeys = new ArrayList<>(5 + deltas.size());
        scriptKeys.add(keys.doneFile(marker));
        scriptKeys.add(keys.legacyDoneFiles());
        scriptKeys.add(keys.users());
        scriptKeys.add(keys.total());
        scriptKeys.add(keys.usersByTotal());
        List<String> args = new ArrayList<>(5 + types.size() + deltas.size());
        args.add(marker);
        args.add(null); // the global delta, known after the loop
        args.add(Integer.toString(keys.userKeyPrefix().getBytes(StandardCharsets.UTF_8).length));
        args.add(Long.toString(retention.doneMarkers().toMillis()));
        args.add(Integer.toString(types.size()));
        args.addAll(types);
        long global = 0;
        StringBuilder amounts = new StringBuilder();
        for (Map.Entry<String, Map<String, Long>> user : deltas.entrySet()) {
            Map<String, Long> byType = user.getValue();
            long userTotal = byType.values().stream().mapToLong(Long::longValue).reduce(0, Math::addExact);
            global = Math.addExact(global, userTotal);
            scriptKeys.add(keys.user(user.getKey()));
            amounts.setLength(0);
            amounts.append(userTotal);
            for (String type : types) {
                Long seconds = byType.get(type);
                amounts.append(',');
                if (seconds != null) {
                    amounts.append(seconds.longValue());
                }
            }
            args.add(amounts.toString());
        }
        args.set(1, Long.toString(global));
        return RedisFailures.run("count a file",
                keys.base() + "{files:done[:<marker>],users[:by-total],total,user:<id>}",
                () -> (Long) APPLY_FILE.run(redis, scriptKeys, args)) == 1L;
    }

    /** The most users one file may have with {@code eventTypes} event types: one command must carry it all. */
    public static int maxUsers(int eventTypes) {
        return (MAX_COMMAND_ELEMENTS - FIXED_ELEMENTS - eventTypes) / 2;
    }

    /**
     * One page of users and the global total, in one script: about {@code size} users (SSCAN's {@code COUNT}, so a
     * page may hold a few more, or fewer), in natural order of id within the page. Walk from
     * {@code cursor = null} until {@link UsersPage#next()} is empty: every user present during the whole walk is on
     * some page; one that a file added meanwhile may be missing, and a user may be on two pages if the set grew
     * (SSCAN's guarantees). Each page's total is as of its own read.
     *
     * @param cursor null for the first page, else a previous page's {@link UsersPage#next()}
     * @param size   1 to {@value #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException for a cursor that is no page's, or a size out of range
     */
    public UsersPage users(String cursor, int size) {
        String from = cursor == null ? FIRST : requireUsersCursor(cursor);
        requirePageSize(size);
        List<?> reply = RedisFailures.read("read a page of users", keys.base() + "{users,total,user:<id>}",
                () -> (List<?>) READ_USERS.run(redis, List.of(keys.users(), keys.total()),
                        List.of(keys.userKeyPrefix(), from, Integer.toString(size))));
        Iterator<?> it = reply.iterator();
        String next = (String) it.next();
        long total = Long.parseLong((String) it.next());
        SortedMap<String, Map<String, Long>> users = new TreeMap<>(NaturalOrder.INSTANCE);
        while (it.hasNext()) {
            String id = (String) it.next();
            users.put(id, amounts((List<?>) it.next()));
        }
        return new UsersPage(Collections.unmodifiableSortedMap(users), total,
                next.equals(FIRST) ? Optional.empty() : Optional.of(next));
    }

    /**
     * Every user, walked page by page ({@link #users}), with the total of the last page; holds every user in
     * memory, so it is for tests and tools, never for a server.
     */
    public SortedMap<String, Map<String, Long>> allUsers() {
        SortedMap<String, Map<String, Long>> all = new TreeMap<>(NaturalOrder.INSTANCE);
        everyPage(cursor -> users(cursor, 1_000), UsersPage::next, page -> all.putAll(page.users()));
        return Collections.unmodifiableSortedMap(all);
    }

    /**
     * The {@code count} users with the largest totals, largest first, with the global total and the number of
     * users; costs {@code count} users whatever the number of users. Users whose last file was counted by a
     * version before the leaderboard existed join it with their next file.
     *
     * @param count 1 to {@value #MAX_PAGE_SIZE}
     */
    public TopUsers top(int count) {
        requirePageSize(count);
        List<?> reply = RedisFailures.read("read the leaderboard", keys.base() + "{users:by-total,users,total,user:<id>}",
                () -> (List<?>) READ_TOP.run(redis, List.of(keys.usersByTotal(), keys.total(), keys.users()),
                        List.of(keys.userKeyPrefix(), Integer.toString(count))));
        Iterator<?> it = reply.iterator();
        long total = Long.parseLong((String) it.next());
        long users = (Long) it.next();
        SequencedMap<String, Map<String, Long>> leaders = new LinkedHashMap<>();
        while (it.hasNext()) {
            String id = (String) it.next();
            leaders.put(id, amounts((List<?>) it.next()));
        }
        return new TopUsers(Collections.unmodifiableSequencedMap(leaders), total, users);
    }

    /** One user's seconds by event type, plus {@value PlaytimeKeys#TOTAL_FIELD}; empty for an unknown user. */
    public Optional<Map<String, Long>> user(String id) {
        requireText("user id", id);
        Map<String, String> fields = RedisFailures.read("read a user", keys.userKeyPrefix() + "<id>",
                () -> redis.hgetAll(keys.user(id)));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, Long> amounts = new TreeMap<>();
        fields.forEach((type, seconds) -> amounts.put(type, Long.parseLong(seconds)));
        return Optional.of(Collections.unmodifiableSortedMap(amounts));
    }

    public long totalPlaytime() {
        String total = RedisFailures.read("read the total", keys.total(), () -> redis.get(keys.total()));
        return total == null ? 0 : Long.parseLong(total);
    }

    /** Whether the file version with this marker has been counted. */
    public boolean isApplied(String marker) throws PermanentFailureException {
        return RedisFailures.run("check a done marker", keys.doneFile("<marker>"),
                () -> redis.exists(keys.doneFile(marker)) || redis.sismember(keys.legacyDoneFiles(), marker));
    }

    /**
     * Records a file that could not be counted. Idempotent per {@code bucket/key@etag}: the first record stays.
     *
     * @return true when recorded now, false when it was recorded before
     */
    public boolean recordFailure(String bucket, String key, String etag, String reason, Instant time)
            throws PermanentFailureException {
        FailedFile failed = new FailedFile(bucket, key, etag, reason, time);
        String marker = failed.marker();
        return record("record a failed file", keys.base() + "{files:failures,files:failed:<marker>}",
                keys.failures(), keys.failedFile(marker), marker, time,
                "bucket", bucket, "key", key, "etag", etag, "reason", reason, "time", time.toString());
    }

    /**
     * Records a notification the pipeline rejected, with its raw body, for {@code retention.failures}. Idempotent
     * per message: a redelivery changes nothing, so the first record stays.
     *
     * @param message {@code sqs:<queue>/<message id>}
     * @return true when recorded now, false when it was recorded before
     */
    public boolean recordReject(String message, String reason, String body, Instant time)
            throws PermanentFailureException {
        RejectedNotification reject = new RejectedNotification(message, reason, body, time);
        return record("record a rejected notification", keys.base() + "{rejects,rejects:<message>}",
                keys.rejects(), keys.rejectKeyPrefix() + message, message, time,
                "message", reject.message(), "reason", reject.reason(), "body", reject.body(),
                "time", time.toString());
    }

    private boolean record(String what, String keyPattern, String index, String record, String id, Instant time,
                           String... fields) throws PermanentFailureException {
        List<String> args = new ArrayList<>(3 + fields.length);
        args.add(id);
        args.add(Long.toString(time.toEpochMilli()));
        args.add(Long.toString(retention.failures().toMillis()));
        args.addAll(List.of(fields));
        return RedisFailures.run(what, keyPattern, () -> (Long) RECORD.run(redis, List.of(index, record), args)) == 1L;
    }

    /**
     * One page of failed files, oldest first (by the time each was first recorded), in one script; records older
     * than the retention are gone. Walk from {@code cursor = null} until {@link Page#next()} is empty.
     *
     * @param cursor null for the first page, else a previous page's {@link Page#next()}
     * @param size   1 to {@value #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException for a cursor that is no page's, or a size out of range
     */
    public Page<FailedFile> failures(String cursor, int size) {
        return records("read a page of failed files", keys.base() + "{files:failures,files:failed:<marker>}",
                keys.failures(), keys.failedFileKeyPrefix(), cursor, size,
                fields -> new FailedFile(fields.get("bucket"), fields.get("key"), fields.get("etag"),
                        fields.get("reason"), Instant.parse(fields.get("time"))));
    }

    /** Every failed file, walked page by page; for tests and tools, never for a server. */
    public List<FailedFile> failures() {
        List<FailedFile> all = new ArrayList<>();
        everyPage(cursor -> failures(cursor, 1_000), Page::next, page -> all.addAll(page.items()));
        return List.copyOf(all);
    }

    /** One page of rejected notifications, oldest first; like {@link #failures(String, int)}. */
    public Page<RejectedNotification> rejects(String cursor, int size) {
        return records("read a page of rejected notifications", keys.base() + "{rejects,rejects:<message>}",
                keys.rejects(), keys.rejectKeyPrefix(), cursor, size,
                fields -> new RejectedNotification(fields.get("message"), fields.get("reason"), fields.get("body"),
                        Instant.parse(fields.get("time"))));
    }

    private <T> Page<T> records(String what, String keyPattern, String index, String recordPrefix, String cursor,
                                int size, Function<Map<String, String>, T> item) {
        requirePageSize(size);
        RecordCursor from = cursor == null ? null : RecordCursor.parse(cursor);
        List<?> reply = RedisFailures.read(what, keyPattern,
                () -> (List<?>) READ_RECORDS.run(redis, List.of(index), List.of(recordPrefix,
                        from == null ? "-inf" : Long.toString(from.recordedAtMillis()),
                        from == null ? "" : from.id(), Integer.toString(size))));
        long entries = (Long) reply.get(0);
        List<T> items = new ArrayList<>(reply.size());
        for (Object record : reply.subList(3, reply.size())) {
            items.add(item.apply(fields((List<?>) record)));
        }
        // A full page of index entries may have more after it; the cursor is the last entry, record or not.
        Optional<String> next = entries < size ? Optional.empty()
                : Optional.of(new RecordCursor(Long.parseLong((String) reply.get(1)), (String) reply.get(2)).text());
        return new Page<>(items, next);
    }

    /** Whether Redis answers now; for readiness checks. Throws (like every call) when it does not. */
    public void ping() {
        RedisFailures.read("answer PING", "none", redis::ping);
    }

    @Override
    public void close() {
        redis.close();
    }

    private static SortedMap<String, Long> amounts(List<?> flat) {
        SortedMap<String, Long> amounts = new TreeMap<>();
        fields(flat).forEach((type, seconds) -> amounts.put(type, Long.parseLong(seconds)));
        return Collections.unmodifiableSortedMap(amounts);
    }

    private static Map<String, String> fields(List<?> flat) {
        Map<String, String> fields = new TreeMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return fields;
    }

    /** Reads pages from the first on, handing each to {@code take}, until one has no next cursor. */
    private static <P> void everyPage(Function<String, P> read, Function<P, Optional<String>> next, Consumer<P> take) {
        String cursor = null;
        do {
            P page = read.apply(cursor);
            take.accept(page);
            cursor = next.apply(page).orElse(null);
        } while (cursor != null);
    }

    private static void requirePageSize(int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE_SIZE + ", was " + size);
        }
    }

    private static String requireUsersCursor(String cursor) {
        if (!cursor.matches("[0-9]{1,20}")) {
            throw new IllegalArgumentException("cursor must be the next cursor of a previous page");
        }
        return cursor;
    }

    private static void requireText(String what, String value) {
        Objects.requireNonNull(value, () -> what + " is required");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
