package dev.sluice.redis;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One page of groups read by {@link TotalsStore#groups} (users, in the playtime definition): what one
 * {@code GET /api/playtime} shows.
 *
 * @param users user id (natural order) → event type → seconds, each user with a {@code total} field
 * @param total global seconds, as of this page's read
 * @param next  the cursor of the next page; empty after the last
 */
public record UsersPage(SortedMap<String, Map<String, Long>> users, long total, Optional<String> next) {

    public UsersPage {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(next, "next");
    }
}
