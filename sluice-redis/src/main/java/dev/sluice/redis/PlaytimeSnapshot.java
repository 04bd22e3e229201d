package dev.sluice.redis;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Every user's playtime and the global total read at one moment, so {@code total} is the sum of the users' totals
 * even while files are being counted: what {@code GET /api/playtime} shows.
 *
 * @param users user id (natural order) → event type → seconds, each user with a {@code total} field
 * @param total global seconds
 */
public record PlaytimeSnapshot(SortedMap<String, Map<String, Long>> users, long total) {

    public PlaytimeSnapshot {
        Objects.requireNonNull(users, "users");
    }
}
