package dev.sluice.redis;

import java.util.List;
import java.util.Objects;

/**
 * The playtime layout: {@link TotalsKeys} with namespace {@code playtime} and groups called {@code user}, one summed
 * column, under a configurable prefix {@code P} (default {@code sluice:playtime:}): {@code P{playtime}:user:<id>}
 * (field per event type plus {@value #TOTAL_FIELD}), {@code P{playtime}:users}, {@code P{playtime}:users:by-total},
 * {@code P{playtime}:total}, {@code P{playtime}:files:…} and {@code P{playtime}:rejects…}.
 */
public record PlaytimeKeys(String prefix) {

    /** The field of a user hash that holds the user's total; no event type may be called this. */
    public static final String TOTAL_FIELD = TotalsKeys.TOTAL_FIELD;
    /** Playtime sums one column, so its hash fields are plain event types. */
    static final List<String> SUMS = List.of("EventDuration");

    public PlaytimeKeys {
        Objects.requireNonNull(prefix, "prefix is required");
    }

    /** The general layout these keys are. */
    public TotalsKeys totals() {
        return new TotalsKeys(prefix, "playtime", "user");
    }

    public String user(String id) {
        return totals().group(id);
    }

    public String total() {
        return totals().total(SUMS, 0);
    }

    public String doneFile(String marker) {
        return totals().doneFile(marker);
    }

    public String legacyDoneFiles() {
        return totals().legacyDoneFiles();
    }

    public String failures() {
        return totals().failures();
    }

    public String failedFile(String marker) {
        return totals().failedFile(marker);
    }

    public static String marker(String bucket, String key, String etag) {
        return TotalsKeys.marker(bucket, key, etag);
    }
}
