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
 * Whole-file totals in Redis: per group (a value of the first group-by column) one sum per field (the values of the
 * other group-by columns) and summed column, per-group and global totals, the markers of files already counted, and
 * the files that could not be counted. Key layout: {@link TotalsKeys}.
 *
 * <p>Exactly once: {@link #applyFile} adds all of one file's sums and its done marker {@code bucket/key@etag} in
 * one Lua script. Redis runs a script alone, and the script checks everything that could make a command fail
 * before its first write, so a file counts entirely or not at all. When the marker is there the script changes
 * nothing, so calling again after any failure (Redis down, a lost reply, a crash before the SQS delete) is safe:
 * that is what the engine does with a {@link RedisUnavailableException}.
 *
 * <p>Failures never carry Redis's reply text, which can hold a key and so a group id ({@link RedisFailures}):
 * writes throw {@link PermanentFailureException} for what retrying cannot mend (a key of this layout holding
 * another type, refused credentials, memory full) and {@link RedisUnavailableException} for what passes (a
 * connection failure, a failover); reads throw {@link RedisUnavailableException} for both.
 *
 * <p>A file is never split over several scripts (it would count partly if the second failed), so one command
 * carries it: one key and one argument per group ({@code "t1,…,tS,a1,…,aF"}, the id is taken from the key). Redis
 * 6.2 refuses commands of more than 1,048,576 elements ("invalid multibulk length", measured), which caps a file at
 * {@link #maxGroups} groups (524,278 with one summed column and 3 fields); a larger file is refused before anything
 * is sent. Redis 7 has no such cap but the same cap applies, so a file counts the same on both. Scripts never
 * {@code unpack} the arguments, so Lua's stack limit (about 8,000) does not apply.
 *
 * <p>What grows with the data is read in pages and expires: groups are read a page at a time ({@link #groups}, SSCAN
 * from a cursor) and the leaderboard ({@link #top}) from a sorted set apply-totals keeps, so no call costs more than
 * a page whatever the number of groups; done markers and failure records expire after their
 * {@link TotalsRetention}, and failures are read a page at a time too ({@link #failures(String, int)}). Pages and
 * the leaderboard carry the global total of the first summed column.
 *
 * <p>Thread-safe: calls share a pool of connections.
 */
public final class TotalsStore implements AutoCloseable {

    private static final RedisScript APPLY_TOTALS = RedisScript.load("apply-totals");
    private static final RedisScript READ_USERS = RedisScript.load("read-users");
    private static final RedisScript RECORD = RedisScript.load("record");
    private static final RedisScript READ_RECORDS = RedisScript.load("read-records");
    private static final RedisScript READ_TOP = RedisScript.load("read-top");
    /** The most groups or failures one page read may ask for: a page is one script, which blocks Redis meanwhile. */
    public static final int MAX_PAGE_SIZE = 10_000;
    /** The cursor of a first page (and what SSCAN answers after the last). */
    private static final String FIRST = "0";
    /** Joins the values of the group-by columns after the first into a hash field, and a summed column to them. */
    public static final String SEPARATOR = ":";

    /**
     * Redis 6.2 refuses a command of more elements (name and arguments) than this; Redis 7 allows more, but a file
     * must count the same on both.
     */
    static final int MAX_COMMAND_ELEMENTS = 1024 * 1024;
    /** EVALSHA, the SHA-1, the key count, apply-totals' four fixed keys and its six fixed arguments. */
    private static final int FIXED_ELEMENTS = 13;

    private final UnifiedJedis redis;
    private final TotalsKeys keys;
    private final List<String> sums;
    private final TotalsRetention retention;

    /**
     * Uses {@code redis} as it is and leaves closing it to the caller's {@link #close()} of this store.
     *
     * @param sums the summed columns' names, 1 or more; with one, hash fields are the other group-by values alone
     */
    TotalsStore(UnifiedJedis redis, TotalsKeys keys, List<String> sums, TotalsRetention retention) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.sums = List.copyOf(sums);
        this.retention = Objects.requireNonNull(retention, "retention");
        if (this.sums.isEmpty()) {
            throw new IllegalArgumentException("sums must name at least one column");
        }
    }

    /** A store with its own connection pool; nothing connects until the first call. */
    public static TotalsStore open(RedisSettings settings, TotalsKeys keys, List<String> sums,
                                   TotalsRetention retention) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .socketTimeoutMillis((int) settings.commandTimeout().toMillis())
                .user(settings.user())
                .password(settings.password())
                .database(settings.database())
                .ssl(settings.tls())
                .clientName("sluice-" + keys.namespace());
        if (settings.tls()) {
            client.sslParameters(RedisTls.checkingHostName());
            if (settings.caCertificate() != null) {
                client.sslSocketFactory(RedisTls.trusting(settings.caCertificate()));
            }
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.maxConnections());
        pool.setMaxIdle(settings.maxConnections());
        pool.setMaxWait(settings.connectTimeout());
        RedisClient redis = RedisClient.builder()
                .hostAndPort(settings.host(), settings.port())
                .clientConfig(client.build())
                .poolConfig(pool)
                .build();
        return new TotalsStore(redis, keys, sums, retention);
    }

    public TotalsKeys keys() {
        return keys;
    }

    public List<String> sums() {
        return sums;
    }

    /**
     * Counts one file, once.
     *
     * @param marker {@code bucket/key@etag} of the file version that was read ({@link TotalsKeys#marker})
     * @param deltas group id → field (the other group-by values joined by {@value #SEPARATOR}, empty when there are
     *               none) → one amount per summed column, in the order of {@link #sums()}; amounts are never
     *               negative and no field may be {@value TotalsKeys#TOTAL_FIELD}
     * @return true when the file was counted now, false when it had been counted before (nothing changed)
     * @throws IllegalArgumentException  when the deltas break a rule above or the file has more than
     *                                   {@link #maxGroups} groups (retrying cannot help)
     * @throws PermanentFailureException when Redis refuses the script for a reason retrying cannot mend
     */
    public boolean applyFile(String marker, Map<String, ? extends Map<String, long[]>> deltas)
            throws PermanentFailureException {
        requireText("marker", marker);
        Objects.requireNonNull(deltas, "deltas");
        SortedSet<String> values = new TreeSet<>();
        deltas.forEach((group, byField) -> {
            requireText(keys.group() + " id", group);
            Objects.requireNonNull(byField, () -> "deltas of a " + keys.group());
            byField.forEach((field, amounts) -> {
                if (field.equals(TotalsKeys.TOTAL_FIELD)) {
                    throw new IllegalArgumentException("a field must not be '" + TotalsKeys.TOTAL_FIELD
                            + "', the field of the " + keys.group() + "'s total");
                }
                if (amounts == null || amounts.length != sums.size()) {
                    throw new IllegalArgumentException("field '" + field + "' must have " + sums.size()
                            + " amounts, one per summed column");
                }
                for (long amount : amounts) {
                    if (amount < 0) {
                        throw new IllegalArgumentException("amounts must be zero or more, got " + amount
                                + " for field '" + field + "'");
                    }
                }
                values.add(field);
            });
        });
        // A group-by of one column has no fields (each group's one field is empty): its hashes hold the totals alone.
        if (values.remove("") && !values.isEmpty()) {
            throw new IllegalArgumentException("a field must not be empty unless it is every group's only field");
        }
        List<String> fields = new ArrayList<>(values.size() * sums.size());
        for (String sum : sums) {
            for (String value : values) {
                fields.add(sums.size() == 1 ? value : sum + SEPARATOR + value);
            }
        }

        long elements = FIXED_ELEMENTS + 3L * sums.size() + fields.size() + 2L * deltas.size();
        if (elements > MAX_COMMAND_ELEMENTS) {
            throw new IllegalArgumentException("a file must have at most " + maxGroups(sums.size(), fields.size())
                    + " " + keys.group() + "s with " + fields.size() + " fields to be counted in one Redis command,"
                    + " this one has " + deltas.size());
        }

        List<String> scriptKeys = new ArrayList<>(4 + sums.size() + deltas.size());
        scriptKeys.add(keys.doneFile(marker));
        scriptKeys.add(keys.legacyDoneFiles());
        scriptKeys.add(keys.groups());
        scriptKeys.add(keys.groupsByTotal());
        List<String> args = new ArrayList<>(6 + 2 * sums.size() + fields.size() + deltas.size());
        args.add(marker);
        args.add(Integer.toString(bytes(keys.groupKeyPrefix())));
        args.add(Integer.toString(bytes(keys.prefix())));
        args.add(Long.toString(retention.doneMarkers().toMillis()));
        args.add(Integer.toString(sums.size()));
        args.add(Integer.toString(fields.size()));
        for (int s = 0; s < sums.size(); s++) {
            scriptKeys.add(keys.total(sums, s));
            args.add(TotalsKeys.totalField(sums, s));
        }
        args.addAll(fields);
        int globalsAt = args.size();
        long[] global = new long[sums.size()];
        for (int s = 0; s < sums.size(); s++) {
            args.add(null); // the global deltas, known after the loop
        }
        StringBuilder amounts = new StringBuilder();
        for (Map.Entry<String, ? extends Map<String, long[]>> group : deltas.entrySet()) {
            Map<String, long[]> byField = group.getValue();
            scriptKeys.add(keys.group(group.getKey()));
            amounts.setLength(0);
            for (int s = 0; s < sums.size(); s++) {
                long groupTotal = 0;
                for (long[] perSum : byField.values()) {
                    groupTotal = Math.addExact(groupTotal, perSum[s]);
                }
                global[s] = Math.addExact(global[s], groupTotal);
                amounts.append(s == 0 ? "" : ",").append(groupTotal);
            }
            for (int s = 0; s < sums.size(); s++) {
                for (String value : values) {
                    long[] perSum = byField.get(value);
                    amounts.append(',');
                    if (perSum != null) {
                        amounts.append(perSum[s]);
                    }
                }
            }
            args.add(amounts.toString());
        }
        for (int s = 0; s < sums.size(); s++) {
            args.set(globalsAt + s, Long.toString(global[s]));
        }
        String group = keys.group();
        return RedisFailures.run("count a file", keys.base() + "{files:done[:<marker>]," + group + "s[:by-total],"
                        + "total[:<sum>]," + group + ":<id>}",
                () -> (Long) APPLY_TOTALS.run(redis, scriptKeys, args)) == 1L;
    }

    /** The most groups one file may have with {@code sums} summed columns and {@code fields} hash fields. */
    public static int maxGroups(int sums, int fields) {
        return (MAX_COMMAND_ELEMENTS - FIXED_ELEMENTS - 3 * sums - fields) / 2;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * One page of groups and the first global total, in one script: about {@code size} groups (SSCAN's
     * {@code COUNT}, so a page may hold a few more, or fewer), in natural order of id within the page. Walk from
     * {@code cursor = null} until {@link UsersPage#next()} is empty: every group present during the whole walk is on
     * some page; one that a file added meanwhile may be missing, and a group may be on two pages if the set grew
     * (SSCAN's guarantees). Each page's total is as of its own read.
     *
     * @param cursor null for the first page, else a previous page's {@link UsersPage#next()}
     * @param size   1 to {@value #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException for a cursor that is no page's, or a size out of range
     */
    public UsersPage groups(String cursor, int size) {
        String from = cursor == null ? FIRST : requireUsersCursor(cursor);
        requirePageSize(size);
        List<?> reply = RedisFailures.read("read a page of " + keys.group() + "s",
                keys.base() + "{" + keys.group() + "s,total," + keys.group() + ":<id>}",
                () -> (List<?>) READ_USERS.run(redis, List.of(keys.groups(), keys.total(sums, 0)),
                        List.of(keys.groupKeyPrefix(), from, Integer.toString(size))));
        Iterator<?> it = reply.iterator();
        String next = (String) it.next();
        long total = Long.parseLong((String) it.next());
        SortedMap<String, Map<String, Long>> groups = new TreeMap<>(NaturalOrder.INSTANCE);
        while (it.hasNext()) {
            String id = (String) it.next();
            groups.put(id, amounts((List<?>) it.next()));
        }
        return new UsersPage(Collections.unmodifiableSortedMap(groups), total,
                next.equals(FIRST) ? Optional.empty() : Optional.of(next));
    }

    /**
     * Every group, walked page by page ({@link #groups}), with the total of the last page; holds every group in
     * memory, so it is for tests and tools, never for a server.
     */
    public SortedMap<String, Map<String, Long>> allGroups() {
        SortedMap<String, Map<String, Long>> all = new TreeMap<>(NaturalOrder.INSTANCE);
        everyPage(cursor -> groups(cursor, 1_000), UsersPage::next, page -> all.putAll(page.users()));
        return Collections.unmodifiableSortedMap(all);
    }

    /**
     * The {@code count} groups with the largest first totals, largest first, with the global total and the number
     * of groups; costs {@code count} groups whatever the number of groups. Groups whose last file was counted by a
     * version before the leaderboard existed join it with their next file.
     *
     * @param count 1 to {@value #MAX_PAGE_SIZE}
     */
    public TopUsers top(int count) {
        requirePageSize(count);
        List<?> reply = RedisFailures.read("read the leaderboard",
                keys.base() + "{" + keys.group() + "s[:by-total],total," + keys.group() + ":<id>}",
                () -> (List<?>) READ_TOP.run(redis, List.of(keys.groupsByTotal(), keys.total(sums, 0), keys.groups()),
                        List.of(keys.groupKeyPrefix(), Integer.toString(count))));
        Iterator<?> it = reply.iterator();
        long total = Long.parseLong((String) it.next());
        long groups = (Long) it.next();
        SequencedMap<String, Map<String, Long>> leaders = new LinkedHashMap<>();
        while (it.hasNext()) {
            String id = (String) it.next();
            leaders.put(id, amounts((List<?>) it.next()));
        }
        return new TopUsers(Collections.unmodifiableSequencedMap(leaders), total, groups);
    }

    /** One group's sums by field, plus its total field(s); empty for an unknown group. */
    public Optional<Map<String, Long>> group(String id) {
        requireText(keys.group() + " id", id);
        Map<String, String> fields = RedisFailures.read("read a " + keys.group(), keys.groupKeyPrefix() + "<id>",
                () -> redis.hgetAll(keys.group(id)));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, Long> amounts = new TreeMap<>();
        fields.forEach((field, amount) -> amounts.put(field, Long.parseLong(amount)));
        return Optional.of(Collections.unmodifiableSortedMap(amounts));
    }

    /** The global total of the first summed column. */
    public long total() {
        String total = RedisFailures.read("read the total", keys.total(sums, 0), () -> redis.get(keys.total(sums, 0)));
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
        fields(flat).forEach((field, amount) -> amounts.put(field, Long.parseLong(amount)));
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
