package dev.sluice.redis;

import java.util.List;
import java.util.Objects;

/**
 * Where one set of file totals lives, all under a prefix {@code P} and a namespace {@code N} (the Redis Cluster hash
 * tag), for groups named {@code G} (the values of the first group-by column):
 *
 * <pre>
 * P{N}:G:&lt;id&gt;                 HASH    field per value of the other group-by columns → sum, plus the total field(s)
 * P{N}:Gs                      SET     every group id that has a hash (paged with SSCAN)
 * P{N}:Gs:by-total             ZSET    group id → its first total, for the leaderboard
 * P{N}:total[:&lt;sum&gt;]           STRING  global total of each summed column (INCRBY)
 * P{N}:files:done:&lt;marker&gt;     STRING  a counted file's marker bucket/key@etag; expires after the retention
 * P{N}:files:done              SET     markers written before markers expired; still honored, never written
 * P{N}:files:failures          ZSET    markers of failed files → recorded at (ms); trimmed after the retention
 * P{N}:files:failed:&lt;marker&gt;   HASH    bucket, key, etag, reason, time (ISO-8601); expires after the retention
 * P{N}:rejects                 ZSET    message of each rejected notification → rejected at (ms)
 * P{N}:rejects:&lt;message&gt;       HASH    message, reason, body, time of one rejected notification; expires too
 * </pre>
 *
 * <p>With one summed column a hash field is the other group-by values joined by {@code :} and the total field is
 * {@value #TOTAL_FIELD}; with several, each field is {@code <sum>:<values>} and each total {@code total:<sum>}.
 * The hash tag puts every key in one Redis Cluster slot: a file touches arbitrary groups, and a Lua script may only
 * touch keys of one slot, so counting a file atomically requires it. The prefix may not contain braces (checked by
 * {@link RedisSettings}) so it cannot move the tag.
 *
 * @param prefix    the start of every key (the {@code redis:} section's {@code keyPrefix} by default)
 * @param namespace the hash tag, e.g. {@code playtime}
 * @param group     what one hash is, singular, e.g. {@code user}
 */
public record TotalsKeys(String prefix, String namespace, String group) {

    /** The field of a group hash that holds its total when one column is summed; no group value may be this. */
    public static final String TOTAL_FIELD = "total";
    private static final String NAME = "[a-z][a-z0-9_-]{0,63}";

    public TotalsKeys {
        Objects.requireNonNull(prefix, "prefix is required");
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("keyPrefix must not contain braces: the namespace is the hash tag");
        }
        requireName("namespace", namespace);
        requireName("group", group);
    }

    /**
     * Checks what a definition writes of a layout, before the pipeline's name and the {@code redis:} section fill in
     * what it leaves out; a message starts with the setting's key.
     *
     * @param namespace null for the pipeline's name
     * @param keyPrefix null for the section's
     */
    public static void checkSettings(String namespace, String group, String keyPrefix) {
        requireName("group", group);
        if (namespace != null) {
            requireName("namespace", namespace);
        }
        if (keyPrefix != null && (keyPrefix.isBlank() || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0)) {
            throw new IllegalArgumentException("keyPrefix must not be blank or contain braces: the namespace is the"
                    + " hash tag");
        }
    }

    /** The message starts with {@code field}. */
    private static void requireName(String field, String value) {
        if (value == null || !value.matches(NAME)) {
            throw new IllegalArgumentException(field + " must be 1 to 64 lower-case letters, digits, _ or -, starting"
                    + " with a letter, was " + (value == null ? "missing" : "'" + value + "'"));
        }
    }

    /** The common start of every key, hash tag included. */
    public String base() {
        return prefix + "{" + namespace + "}:";
    }

    public String group(String id) {
        return groupKeyPrefix() + id;
    }

    /** What {@link #group(String)} puts before the id; read scripts build group keys from it. */
    public String groupKeyPrefix() {
        return base() + group + ":";
    }

    public String groups() {
        return base() + group + "s";
    }

    /** Groups by their first total, for the leaderboard. */
    public String groupsByTotal() {
        return groups() + ":by-total";
    }

    /** The global total of the summed column {@code index} of {@code sums}. */
    public String total(List<String> sums, int index) {
        return base() + totalField(sums, index);
    }

    /** The hash field, and the suffix of the global key, of the total of summed column {@code index}. */
    public static String totalField(List<String> sums, int index) {
        return sums.size() == 1 ? TOTAL_FIELD : TOTAL_FIELD + ":" + sums.get(index);
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

    /** What {@link #failedFile(String)} puts before the marker. */
    public String failedFileKeyPrefix() {
        return base() + "files:failed:";
    }

    /** The index of rejected notifications, oldest first. */
    public String rejects() {
        return base() + "rejects";
    }

    /** What the record of a rejected notification's key puts before its message ({@code sqs:<queue>/<id>}). */
    public String rejectKeyPrefix() {
        return base() + "rejects:";
    }

    /**
     * The done marker of one version of one object. Not parsed back (keys may contain {@code /} and {@code @});
     * failed files keep their parts in fields.
     */
    public static String marker(String bucket, String key, String etag) {
        return bucket + "/" + key + "@" + etag;
    }
}
