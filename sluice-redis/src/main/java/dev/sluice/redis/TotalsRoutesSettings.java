package dev.sluice.redis;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the {@code totals} read routes: where the totals of a {@code parquet_totals} sink are, written the
 * same way as in the sink, where they are served and how the documents are shaped. Errors start with the setting's
 * key.
 *
 * @param namespace the sink's namespace (default: the pipeline's name)
 * @param group     the sink's group name (default {@code group})
 * @param keyPrefix the sink's key prefix (default: the {@code redis:} section's {@code keyPrefix})
 * @param sum       the sink's summed columns (default: one column): pages carry the global total of the first
 * @param path      where the routes are mounted, under {@code /api/} (default {@code /api/<namespace>})
 * @param pageSize  the most groups or failures one page holds, and the default {@code limit}; 1 to
 *                  {@value TotalsStore#MAX_PAGE_SIZE} (default 1,000). One page is one Redis script, which blocks
 *                  Redis while it runs
 * @param names     the JSON member names (default: {@code <group>s}, {@code total}, {@code count}, {@code sums})
 * @param cursor    where a page's next cursor goes: {@code body} (default), a {@code next} member, lists of records
 *                  inside an object; or {@code header}, the {@value TotalsRoutes#NEXT_CURSOR_HEADER} header, lists
 *                  of records as bare arrays
 * @param rejects   whether {@code <path>/rejects} serves the notifications a {@code redis_errors} sink of the same
 *                  namespace and prefix recorded (default false)
 * @param snapshot  how the first page at the default size is cached (default: refreshed every second, served for up
 *                  to a minute while Redis is down)
 */
public record TotalsRoutesSettings(String namespace, String group, String keyPrefix, List<String> sum, String path,
                                   Integer pageSize, Names names, Cursor cursor, Boolean rejects,
                                   Snapshot snapshot) {

    public static final int DEFAULT_PAGE_SIZE = 1_000;
    /** The name the one summed column has when {@code sum} is not written: it appears in no key. */
    private static final List<String> ONE_COLUMN = List.of("sum");
    private static final String MEMBER = "[A-Za-z_][A-Za-z0-9_]{0,63}";

    public TotalsRoutesSettings {
        group = group == null ? "group" : group;
        TotalsKeys.checkSettings(namespace, group, keyPrefix);
        sum = sum == null || sum.isEmpty() ? ONE_COLUMN : List.copyOf(sum);
        if (path != null && !path.matches("/api(/[a-z0-9_-]+)+")) {
            throw new IllegalArgumentException("path must be /api/ and lower-case segments of a-z, 0-9, _ or -, was '"
                    + path + "'");
        }
        pageSize = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
        if (pageSize < 1 || pageSize > TotalsStore.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1 to " + TotalsStore.MAX_PAGE_SIZE + ", was "
                    + pageSize);
        }
        Names given = names == null ? new Names(null, null, null, null) : names;
        names = new Names(given.groups() == null ? group + "s" : given.groups(), given.total(), given.count(),
                given.sums());
        cursor = cursor == null ? Cursor.BODY : cursor;
        rejects = rejects != null && rejects;
        snapshot = snapshot == null ? new Snapshot(null, null) : snapshot;
    }

    /**
     * The JSON member names, each 1 to 64 letters, digits or _.
     *
     * @param groups the groups of a page and of the leaderboard (default {@code <group>s})
     * @param total  the global total (default {@code total})
     * @param count  the leaderboard's number of groups (default {@code count})
     * @param sums   one group's sums (default {@code sums})
     */
    public record Names(String groups, String total, String count, String sums) {
        public Names {
            total = member("names.total", total, "total");
            count = member("names.count", count, "count");
            sums = member("names.sums", sums, "sums");
            if (groups != null) {
                member("names.groups", groups, groups);
            }
        }

        private static String member(String key, String value, String fallback) {
            if (value == null) {
                return fallback;
            }
            if (!value.matches(MEMBER)) {
                throw new IllegalArgumentException(key + " must be 1 to 64 letters, digits or _, starting with a"
                        + " letter or _, was '" + value + "'");
            }
            return value;
        }
    }

    /** Where a page's next cursor goes. */
    public enum Cursor { BODY, HEADER }

    /**
     * The cached first page.
     *
     * @param maxAge     how old it may get before the background refresher reads it again; at least 1 ms (default
     *                   1 s)
     * @param staleLimit how old it may be and still be served while Redis cannot be read; at least {@code maxAge}
     *                   (default 60 s); then 503
     */
    public record Snapshot(Duration maxAge, Duration staleLimit) {
        public Snapshot {
            maxAge = maxAge == null ? FirstPageCache.DEFAULT_MAX_AGE : maxAge;
            staleLimit = staleLimit == null ? FirstPageCache.DEFAULT_STALE_LIMIT : staleLimit;
            if (maxAge.toMillis() < 1) {
                throw new IllegalArgumentException("snapshot.maxAge must be at least 1ms, was " + maxAge);
            }
            if (staleLimit.compareTo(maxAge) < 0) {
                throw new IllegalArgumentException("snapshot.staleLimit must be at least snapshot.maxAge (" + maxAge
                        + "), was " + staleLimit);
            }
        }
    }
}
