package dev.sluice.redis;

import java.util.List;

/**
 * Settings of the {@code totals} read routes: where the totals of a {@code parquet_totals} sink are, written the
 * same way as in the sink, and where they are served. Errors start with the setting's key.
 *
 * @param namespace the sink's namespace (default: the pipeline's name)
 * @param group     the sink's group name (default {@code group})
 * @param keyPrefix the sink's key prefix (default: the {@code redis:} section's {@code keyPrefix})
 * @param sum       the sink's summed columns (default: one column): pages carry the global total of the first
 * @param path      where the routes are mounted, under {@code /api/} (default {@code /api/<namespace>})
 * @param pageSize  the most groups or failures one page holds, and the default {@code limit}; 1 to
 *                  {@value TotalsStore#MAX_PAGE_SIZE} (default 1,000). One page is one Redis script, which blocks
 *                  Redis while it runs
 */
public record TotalsRoutesSettings(String namespace, String group, String keyPrefix, List<String> sum, String path,
                                   Integer pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 1_000;
    /** The name the one summed column has when {@code sum} is not written: it appears in no key. */
    private static final List<String> ONE_COLUMN = List.of("sum");

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
    }
}
