package dev.sluice.redis;

import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * The leaderboard read by {@link TotalsStore#top}.
 *
 * @param users      user id → event type → seconds, largest total first
 * @param total      global seconds
 * @param usersCount how many users have playtime
 */
public record TopUsers(SequencedMap<String, Map<String, Long>> users, long total, long usersCount) {

    public TopUsers {
        Objects.requireNonNull(users, "users");
    }
}
