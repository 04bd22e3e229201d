package dev.sluice.redis;

import java.util.Objects;

/**
 * Where the playtime aggregates live, all under one configurable prefix {@code P} (default
 * {@code sluice:playtime:}):
 *
 * <pre>
 * P{playtime}:user:&lt;id&gt;               HASH    field per event type → seconds, plus field "total"
 * P{playtime}:users                   SET     every user id that has a hash (paged with SSCAN)
 * P{playtime}:users:by-total          ZSET    user id → total seconds, for the leaderboard
 * P{playtime}:total                   STRING  global total seconds (INCRBY)
 * P{playtime}:files:done:&lt;marker&gt;     STRING  a counted file's marker bucket/key@etag; expires after the retention
 * P{playtime}:files:done              SET     markers written before markers expired; still honored, never written
 * P{playtime}:files:failures          ZSET    markers of failed files → recorded at (ms); trimmed after the retention
 * P{playtime}:files:failed:&lt;marker&gt;   HASH    bucket, key, etag, reason, time (ISO-8601); expires after the retention
 * P{playtime}:rejects                 ZSET    message of each rejected notification → rejected at (ms)
 * P{playtime}:rejects:&lt;message&gt;       HASH    message, reason, body, time of one rejected notification; expires too
 * </pre>
 *
 * <p>The {@code {playtime}} hash tag puts every key in one Redis Cluster slot: a file touches arbitrary users, and a
 * Lua script may only touch keys of one slot, so counting a file atomically requires it. The prefix may not contain
 * braces (checked by {@link RedisSettings}) so it cannot move the tag.
 */
public record PlaytimeKeys(String prefix) {

    /** The field of a user hash that holds the user's total; no event type may be called this. */
    public static final String TOTAL_FIELD = "total";

    public PlaytimeKeys {
        Objects.requireNonNull(prefix, "prefix is required");
    }

    /** The common start of every key, hash tag included. */
    public String base() {
        return prefix + "{playtime}:";
    }

    public String user(String id) {
        return userKeyPrefix() + id;
    }

    /** What {@link #user(String)} puts before the id; read scripts build user keys from it. */
    public String userKeyPrefix() {
        return base() + "user:";
    }

    public String users() {
        return base() + "users";
    }

    public String total() {
        return base() + "total";
    }

    /** Users by total seconds, for the leaderboard. */
    public String usersByTotal() {
        return base() + "users:by-total";
    }

    /** The done marker of one counted file; it expires after the retention. */
    public String doneFile(String marker) {
        return base() + "files:done:" + marker;
    }

    /** The SET of done markers written before markers expired: read, never written. */
    public String legacyDoneFiles() {
        return base() + "files:done";
    }

    /** The index of failed files, oldest first. */
    public String failures() {
        return base() + "files:failures";
    }

    public String failedFile(String marker) {
        return failedFileKeyPrefix() + marker;
    }

    /** The index of rejected notifications, oldest first. */
    public String rejects() {
        return base() + "rejects";
    }

    /** What the record of a rejected notification's key puts before its message ({@code sqs:<queue>/<id>}). */
    public String rejectKeyPrefix() {
        return base() + "rejects:";
    }

    /** What {@link #failedFile(String)} puts before the marker. */
    public String failedFileKeyPrefix() {
        return base() + "files:failed:";
    }

    /**
     * The done marker of one version of one object. Not parsed back (keys may contain {@code /} and {@code @});
     * failed files keep their parts in fields.
     */
    public static String marker(String bucket, String key, String etag) {
        return bucket + "/" + key + "@" + etag;
    }
}
