package dev.sluice.redis;

import dev.sluice.core.engine.PermanentFailureException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where Jedis failures are turned into failures the rest of Sluice may log, before they leave this module. A Redis
 * error reply can carry a key ({@code WRONGTYPE} on {@code …{playtime}:user:<id>} names a user), and the engine
 * logs a failure's {@code toString()} on every retry, so no reply text passes: only the call, the reply's error
 * code (its first word, e.g. {@code WRONGTYPE}) and the pattern of the keys involved.
 *
 * <p>Classified by what mends them:
 * <ul>
 *   <li>{@link PermanentFailureException}: retrying the same call cannot succeed until someone acts. A key of the
 *       playtime layout holds another type ({@code WRONGTYPE}), credentials or ACLs refuse us ({@code NOAUTH},
 *       {@code WRONGPASS}, {@code NOPERM}), memory is full under {@code noeviction} ({@code OOM}), or the server
 *       refuses a script or a command ({@code ERR}, including our scripts' own refusals).</li>
 *   <li>{@link RedisUnavailableException} (transient): the connection failed or timed out, or the server is in a
 *       state that passes on its own: a restart loading data ({@code LOADING}), a failover ({@code READONLY},
 *       {@code MASTERDOWN}, {@code TRYAGAIN}, {@code CLUSTERDOWN}), a long script ({@code BUSY}). Unknown codes land
 *       here too; the engine caps how long it retries anything it cannot classify.</li>
 * </ul>
 */
final class RedisFailures {

    private static final Set<String> PASSING = Set.of("LOADING", "READONLY", "MASTERDOWN", "TRYAGAIN",
            "CLUSTERDOWN", "BUSY");
    private static final Set<String> PERMANENT = Set.of("WRONGTYPE", "NOAUTH", "WRONGPASS", "NOPERM", "OOM", "ERR",
            "NOSCRIPT");
    /** What our scripts put after the code, so their own reasons (written without keys) may pass. */
    private static final String OUR_SCRIPTS = "sluice ";

    private RedisFailures() {
    }

    /** A call whose failures are either permanent or transient, e.g. counting a file. */
    interface Call<T> {
        T run();
    }

    /**
     * Runs {@code call}.
     *
     * @param what the call in the user's words, e.g. {@code "count a file"}; shown in the failure
     * @param keys the pattern of the keys the call touches, e.g. {@code "P{playtime}:user:<id>"}; never a key
     */
    static <T> T run(String what, String keys, Call<T> call) throws PermanentFailureException {
        try {
            return call.run();
        } catch (JedisException e) {
            RuntimeException transientFailure = classify(what, keys, e);
            if (transientFailure == null) {
                throw new PermanentFailureException(reason(what, keys, e));
            }
            throw transientFailure;
        }
    }

    /**
     * For reads, where permanent and transient both mean "cannot answer now": always unchecked. A read whose
     * connection failed is tried once more: after a Redis restart or failover every pooled connection is broken, and
     * only a call finds out (the pool drops it then); a read is idempotent, and a store that is really down fails the
     * second try as fast as the first.
     */
    static <T> T read(String what, String keys, Supplier<T> call) {
        try {
            try {
                return call.get();
            } catch (JedisConnectionException brokenConnection) {
                return call.get();
            }
        } catch (JedisException e) {
            RuntimeException transientFailure = classify(what, keys, e);
            throw transientFailure != null ? transientFailure : new RedisUnavailableException(reason(what, keys, e));
        }
    }

    /** The transient failure to throw, or null when {@code e} is permanent. */
    private static RuntimeException classify(String what, String keys, JedisException e) {
        if (e instanceof JedisConnectionException) {
            // Connection failures carry hosts and socket errors, never data: their text and cause may stay.
            return new RedisUnavailableException("Redis could not " + what + ": connection failed ("
                    + e.getMessage() + ")", e);
        }
        String code = code(e);
        if (e instanceof JedisAccessControlException || PERMANENT.contains(code)) {
            return null;
        }
        if (e instanceof JedisDataException && !PASSING.contains(code)) {
            return new RedisUnavailableException(reason(what, keys, e));
        }
        return new RedisUnavailableException("Redis could not " + what + ": " + label(code, e) + " (passes on its "
                + "own; retried)");
    }

    private static String reason(String what, String keys, JedisException e) {
        String code = code(e);
        String message = e.getMessage() == null ? "" : e.getMessage();
        String ours = message.startsWith(code + " " + OUR_SCRIPTS) ? ": " + ownReason(message, code) : "";
        return "Redis refused to " + what + " (keys " + keys + "): " + label(code, e) + ours;
    }

    /** Our scripts' reasons name key patterns, never keys; Redis 7 appends where in the script, which is kept. */
    private static String ownReason(String message, String code) {
        return message.substring(code.length() + 1);
    }

    private static String label(String code, JedisException e) {
        return code.isEmpty() ? e.getClass().getSimpleName() : code + " (" + e.getClass().getSimpleName() + ")";
    }

    /** The first word of an error reply when it is an error code (upper-case letters), else empty. */
    static String code(JedisException e) {
        String message = e.getMessage();
        if (message == null) {
            return "";
        }
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        return first.matches("[A-Z]{2,20}") ? first.toUpperCase(Locale.ROOT) : "";
    }
}
