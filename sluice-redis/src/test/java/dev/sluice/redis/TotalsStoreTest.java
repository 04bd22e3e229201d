package dev.sluice.redis;

import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.redis.testing.OnEachRedis;
import dev.sluice.redis.testing.TestRedis;
import dev.sluice.redis.testing.TestRedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@OnEachRedis
class TotalsStoreTest {

    private static final String FILE_1 = TotalsKeys.marker("playtime-datasets", "2026/11/a b.parquet", "e1");
    private static final String FILE_2 = TotalsKeys.marker("playtime-datasets", "2026/11/c.parquet", "e2");

    @Parameter
    TestRedisServer server;

    @Test
    void appliesEveryDeltaAndTheTotalsOnce() throws Exception {
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            assertThat(UserSecondsLayout.apply(store, FILE_1, Map.of(
                    "user_1", Map.of("battle", 10L, "menu", 5L),
                    "user_2", Map.of("roadside", 7L)))).isTrue();
            assertThat(UserSecondsLayout.apply(store, FILE_2, Map.of("user_1", Map.of("battle", 1L, "roadside", 2L)))).isTrue();

            assertThat(store.group("user_1")).contains(Map.of("battle", 11L, "menu", 5L, "roadside", 2L, "total", 18L));
            assertThat(store.group("user_2")).contains(Map.of("roadside", 7L, "total", 7L));
            assertThat(store.group("user_3")).isEmpty();
            assertThat(store.total()).isEqualTo(25);
            assertThat(store.isApplied(FILE_1)).isTrue();
            assertThat(store.isApplied(TotalsKeys.marker("playtime-datasets", "2026/11/c.parquet", "other")))
                    .isFalse();
            UsersPage page = store.groups(null, 100);
            assertThat(page.total()).isEqualTo(25);
            assertThat(page.next()).isEmpty();
            assertThat(page.users()).isEqualTo(Map.of(
                    "user_1", Map.of("battle", 11L, "menu", 5L, "roadside", 2L, "total", 18L),
                    "user_2", Map.of("roadside", 7L, "total", 7L)));
        }
    }

    @Test
    void theSameFileAppliedFiveTimesCountsOnce() throws Exception {
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            Map<String, Map<String, Long>> deltas = Map.of("user_1", Map.of("battle", 10L));
            List<Boolean> applied = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                applied.add(UserSecondsLayout.apply(store, FILE_1, deltas));
            }
            assertThat(applied).containsExactly(true, false, false, false, false);
            assertThat(store.group("user_1")).contains(Map.of("battle", 10L, "total", 10L));
            assertThat(store.total()).isEqualTo(10);
        }
    }

    @Test
    void aCrashAfterTheScriptAndBeforeTheQueueDeleteCountsOnce() throws Exception {
        RedisSettings settings = server.settings();
        Map<String, Map<String, Long>> deltas = Map.of("user_1", Map.of("menu", 3L), "user_7", Map.of("menu", 4L));
        // The first worker counts the file and dies before deleting the message; its store goes with it.
        TotalsStore crashed = UserSecondsLayout.open(settings);
        assertThat(UserSecondsLayout.apply(crashed, FILE_1, deltas)).isTrue();
        crashed.close();
        // The redelivered message reaches another worker, which aggregates the same file again.
        try (TotalsStore next = UserSecondsLayout.open(settings)) {
            assertThat(UserSecondsLayout.apply(next, FILE_1, deltas)).isFalse();
            assertThat(next.total()).isEqualTo(7);
            assertThat(next.allGroups()).containsOnlyKeys("user_1", "user_7");
            assertThat(next.group("user_7")).contains(Map.of("menu", 4L, "total", 4L));
        }
    }

    @Test
    void listsUsersInNaturalOrder() throws Exception {
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            Map<String, Map<String, Long>> deltas = new HashMap<>();
            for (String user : List.of("user_10", "user_2", "user_1", "user_100", "admin", "user_9")) {
                deltas.put(user, Map.of("menu", 1L));
            }
            UserSecondsLayout.apply(store, FILE_1, deltas);

            assertThat(store.allGroups().keySet())
                    .containsExactly("admin", "user_1", "user_2", "user_9", "user_10", "user_100");
        }
    }

    @Test
    void countsAFileOfTenThousandUsersInOneScript() throws Exception {
        Map<String, Map<String, Long>> deltas = tenThousandUsers(new Random(42));
        long fileTotal = deltas.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            store.ping(); // connect first: time the script, not the handshake
            // Three different files with the same deltas: the first warms the JIT up, the best one is reported.
            long bestApply = Long.MAX_VALUE;
            for (int file = 1; file <= 3; file++) {
                long start = System.nanoTime();
                assertThat(UserSecondsLayout.apply(store, "b/large-" + file + ".parquet@e", deltas)).isTrue();
                bestApply = Math.min(bestApply, System.nanoTime() - start);
            }
            long start = System.nanoTime();
            assertThat(UserSecondsLayout.apply(store, "b/large-1.parquet@e", deltas)).isFalse();
            long repeat = System.nanoTime() - start;
            start = System.nanoTime();
            UsersPage first = store.groups(null, 1_000);
            long read = System.nanoTime() - start;
            SortedMap<String, Map<String, Long>> users = store.allGroups();

            System.out.printf("%s: one file of 10,000 users x 3 types (10,005 keys, 10,008 arguments): apply %d ms, "
                            + "apply again (marker found) %d ms, a page of 1,000 users %d ms%n",
                    server, bestApply / 1_000_000, repeat / 1_000_000, read / 1_000_000);
            assertThat(first.total()).isEqualTo(3 * fileTotal);
            assertThat(users).hasSize(10_000);
            assertThat(users.firstKey()).isEqualTo("user_1");
            assertThat(users.lastKey()).isEqualTo("user_10000");
            Map<String, Long> user500 = new HashMap<>();
            deltas.get("user_500").forEach((type, seconds) -> user500.put(type, 3 * seconds));
            user500.put("total", user500.values().stream().mapToLong(Long::longValue).sum());
            assertThat(users.get("user_500")).isEqualTo(user500);
            assertThat(Duration.ofNanos(bestApply)).isLessThan(RedisSettings.DEFAULT_COMMAND_TIMEOUT);
        }
    }

    private static Map<String, Map<String, Long>> tenThousandUsers(Random random) {
        Map<String, Map<String, Long>> deltas = new LinkedHashMap<>();
        for (int u = 1; u <= 10_000; u++) {
            Map<String, Long> byType = new HashMap<>();
            for (String type : List.of("battle", "menu", "roadside")) {
                byType.put(type, 1L + random.nextInt(100_000));
            }
            deltas.put("user_" + u, byType);
        }
        return deltas;
    }

    @Test
    void aFileThatCannotBeAppliedEntirelyChangesNothing() throws Exception {
        RedisSettings settings = server.settings();
        TotalsKeys keys = UserSecondsLayout.keys(settings.keyPrefix());
        try (TotalsStore store = UserSecondsLayout.open(settings); RedisClient redis = server.client()) {
            UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", 5L)));
            // Something else wrote a string where the last user's hash would go: HINCRBY there would fail.
            redis.set(keys.group("user_9"), "not a hash");
            Map<String, Map<String, Long>> deltas = new LinkedHashMap<>();
            deltas.put("user_1", Map.of("menu", 1L));
            deltas.put("user_2", Map.of("menu", 1L));
            deltas.put("user_9", Map.of("menu", 1L));

            // Permanent (retrying cannot mend it), and the reason names the key's pattern, never the key: the
            // engine logs it on every attempt, and a user key holds a user id.
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_2, deltas))
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessageContaining("WRONGTYPE")
                    .hasMessageContaining("a key {playtime}:user:<id> is a string, not a hash")
                    .hasNoCause()
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("user_9"));

            assertThat(store.isApplied(FILE_2)).isFalse();
            assertThat(store.total()).isEqualTo(5);
            assertThat(store.group("user_1")).contains(Map.of("menu", 5L, "total", 5L));
            assertThat(store.group("user_2")).isEmpty();
        }
    }

    @Test
    void refusesAFileThatWouldOverflowTheTotalsAndChangesNothing() throws Exception {
        RedisSettings settings = server.settings();
        try (TotalsStore store = UserSecondsLayout.open(settings); RedisClient redis = server.client()) {
            redis.set(UserSecondsLayout.keys(settings.keyPrefix()).total(UserSecondsLayout.SUMS, 0), Long.toString(Long.MAX_VALUE - 10));

            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", 100L))))
                    .isInstanceOf(PermanentFailureException.class).hasMessageContaining("64-bit");
            assertThat(store.isApplied(FILE_1)).isFalse();
            assertThat(store.group("user_1")).isEmpty();
        }
    }

    @Test
    void refusesDeltasThatBreakTheRulesBeforeWritingAnything() throws Exception {
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", -1L))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amounts must be zero or more");
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("total", 1L))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a field must not be 'total'");
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_1, Map.of("", Map.of("menu", 1L))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user id must not be empty");
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_1, Map.of("user_1",
                    Map.of("menu", Long.MAX_VALUE, "battle", 1L))))
                    .isInstanceOf(ArithmeticException.class);
            assertThat(store.isApplied(FILE_1)).isFalse();
            assertThat(store.total()).isZero();
        }
    }

    @Test
    void refusesAFileTooLargeForOneCommandBeforeSendingIt() throws Exception {
        Map<String, Long> sameForAll = Map.of("battle", 1L, "menu", 1L, "roadside", 1L);
        Map<String, Map<String, Long>> deltas = new HashMap<>();
        for (int u = 0; u <= TotalsStore.maxGroups(1, 3); u++) {
            deltas.put("user_" + u, sameForAll);
        }
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_1, deltas))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a file must have at most 524278 users with 3 fields to be counted in one Redis "
                            + "command, this one has 524279");
            assertThat(store.isApplied(FILE_1)).isFalse();
        }
    }

    @Test
    void keepsUserIdsAndEventTypesOutsideAscii() throws Exception {
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            UserSecondsLayout.apply(store, FILE_1, Map.of("jörg_2", Map.of("bataille ⚔", 5L), "ünal,1", Map.of("menu", 2L)));

            assertThat(store.allGroups()).isEqualTo(Map.of(
                    "jörg_2", Map.of("bataille ⚔", 5L, "total", 5L),
                    "ünal,1", Map.of("menu", 2L, "total", 2L)));
        }
    }

    @Test
    void anEmptyFileIsMarkedDone() throws Exception {
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            assertThat(UserSecondsLayout.apply(store, FILE_1, Map.of())).isTrue();
            assertThat(UserSecondsLayout.apply(store, FILE_1, Map.of())).isFalse();
            assertThat(store.allGroups()).isEmpty();
            assertThat(store.total()).isZero();
        }
    }

    @Test
    void recordsEachFailedFileOnce() throws Exception {
        Instant first = Instant.parse("2026-11-22T10:00:00Z");
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            assertThat(store.recordFailure("b", "x/y@z.parquet", "e1", "column EventDuration is missing", first))
                    .isTrue();
            assertThat(store.recordFailure("b", "x/y@z.parquet", "e1", "column EventDuration is missing",
                    first.plusSeconds(30))).isFalse();
            assertThat(store.recordFailure("b", "other.parquet", "e9", "not a Parquet file", first.minusSeconds(5)))
                    .isTrue();

            assertThat(store.failures()).containsExactly(
                    new FailedFile("b", "other.parquet", "e9", "not a Parquet file", first.minusSeconds(5)),
                    new FailedFile("b", "x/y@z.parquet", "e1", "column EventDuration is missing", first));
            assertThat(store.isApplied(TotalsKeys.marker("b", "x/y@z.parquet", "e1"))).isFalse();
        }
    }

    @Test
    void aWrongTypeOnACheckOrARecordIsPermanentAndNamesNoKey() throws Exception {
        RedisSettings settings = server.settings();
        TotalsKeys keys = UserSecondsLayout.keys(settings.keyPrefix());
        try (TotalsStore store = UserSecondsLayout.open(settings); RedisClient redis = server.client()) {
            redis.set(keys.legacyDoneFiles(), "not a set");
            redis.set(keys.failures(), "not a sorted set");

            assertThatThrownBy(() -> store.isApplied(FILE_1))
                    .isInstanceOf(PermanentFailureException.class).hasMessageContaining("WRONGTYPE").hasNoCause();
            assertThatThrownBy(() -> store.recordFailure("b", "users/secret_user_77.parquet", "e1", "not Parquet",
                    Instant.EPOCH))
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessageContaining("Redis refused to record a failed file")
                    .hasMessageNotContaining("secret_user_77").hasNoCause();
        }
    }

    @Test
    void aRedisThatCannotBeReachedIsTransient() {
        RedisSettings nobody = new RedisSettings("redis://127.0.0.1:" + TestRedis.freePort())
                .withKeyPrefix(server.settings().keyPrefix());
        try (TotalsStore store = UserSecondsLayout.open(nobody)) {
            assertThatThrownBy(() -> UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", 1L))))
                    .isInstanceOf(RedisUnavailableException.class).hasMessageContaining("connection failed");
            assertThatThrownBy(() -> store.groups(null, 10)).isInstanceOf(RedisUnavailableException.class);
        }
    }

    @Test
    void pagesOfTwentyThousandUsersAreBoundedAndTheirUnionIsEveryUserAddingUpToTheTotal() throws Exception {
        Map<String, Map<String, Long>> first = tenThousandUsers(new Random(1));
        Map<String, Map<String, Long>> second = new HashMap<>();
        tenThousandUsers(new Random(2)).forEach((id, amounts) -> second.put("other_" + id, amounts));
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            UserSecondsLayout.apply(store, FILE_1, first);
            UserSecondsLayout.apply(store, FILE_2, second);

            SortedMap<String, Map<String, Long>> union = new TreeMap<>();
            int pages = 0;
            int largest = 0;
            long total = -1;
            Optional<String> cursor = Optional.empty();
            do {
                UsersPage page = store.groups(cursor.orElse(null), 500);
                pages++;
                largest = Math.max(largest, page.users().size());
                union.putAll(page.users());
                total = page.total();
                cursor = page.next();
            } while (cursor.isPresent());

            // SSCAN's COUNT is a hint: a page may end a hash bucket past it, never hold a whole set of 20,000.
            assertThat(largest).as("the largest page").isLessThanOrEqualTo(600);
            assertThat(pages).as("pages of about 500").isGreaterThanOrEqualTo(20_000 / 600);
            assertThat(union).hasSize(20_000);
            assertThat(union.values().stream().mapToLong(amounts -> amounts.get("total")).sum()).isEqualTo(total)
                    .isEqualTo(store.total());
            assertThat(union.get("other_user_77")).isEqualTo(withTotal(second.get("other_user_77")));
            assertThat(union.get("user_77")).isEqualTo(withTotal(first.get("user_77")));
        }
    }

    @Test
    void theLeaderboardListsTheLargestTotalsFirstWithTheirAmounts() throws Exception {
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", 5L), "user_2", Map.of("battle", 50L),
                    "user_3", Map.of("menu", 20L)));
            UserSecondsLayout.apply(store, FILE_2, Map.of("user_1", Map.of("battle", 40L)));

            TopUsers top = store.top(2);

            assertThat(top.users()).containsExactly(
                    Map.entry("user_2", Map.of("battle", 50L, "total", 50L)),
                    Map.entry("user_1", Map.of("battle", 40L, "menu", 5L, "total", 45L)));
            assertThat(top.total()).isEqualTo(115);
            assertThat(top.usersCount()).isEqualTo(3);
        }
    }

    @Test
    void doneMarkersExpireAfterTheirRetention() throws Exception {
        TotalsRetention short1s = new TotalsRetention(Duration.ofSeconds(1), null);
        try (TotalsStore store = UserSecondsLayout.open(server.settings(), short1s)) {
            assertThat(UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", 5L)))).isTrue();
            assertThat(store.isApplied(FILE_1)).isTrue();

            await().atMost(Duration.ofSeconds(20)).until(() -> !store.isApplied(FILE_1));
            // What the retention trades: a notification of the same version after its marker expired counts again.
            assertThat(UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", 5L)))).isTrue();
            assertThat(store.total()).isEqualTo(10);
        }
    }

    @Test
    void aMarkerWrittenBeforeMarkersExpiredStillCountsTheFileOnce() throws Exception {
        RedisSettings settings = server.settings();
        try (TotalsStore store = UserSecondsLayout.open(settings); RedisClient redis = server.client()) {
            redis.sadd(UserSecondsLayout.keys(settings.keyPrefix()).legacyDoneFiles(), FILE_1);

            assertThat(store.isApplied(FILE_1)).isTrue();
            assertThat(UserSecondsLayout.apply(store, FILE_1, Map.of("user_1", Map.of("menu", 5L)))).isFalse();
            assertThat(store.total()).isZero();
        }
    }

    @Test
    void failureRecordsExpireAfterTheirRetention() throws Exception {
        RedisSettings settings = server.settings();
        TotalsKeys keys = UserSecondsLayout.keys(settings.keyPrefix());
        TotalsRetention short1s = new TotalsRetention(null, Duration.ofSeconds(1));
        try (TotalsStore store = UserSecondsLayout.open(settings, short1s); RedisClient redis = server.client()) {
            store.recordFailure("b", "old.parquet", "e1", "not a Parquet file", Instant.now());
            assertThat(store.failures()).hasSize(1);

            await().atMost(Duration.ofSeconds(20)).until(() -> store.failures().isEmpty());
            assertThat(redis.exists(keys.failedFile(TotalsKeys.marker("b", "old.parquet", "e1")))).isFalse();
            // The next record trims the index of what expired.
            store.recordFailure("b", "new.parquet", "e2", "not a Parquet file", Instant.now());
            assertThat(redis.zrange(keys.failures(), 0, -1)).containsExactly(TotalsKeys.marker("b", "new.parquet",
                    "e2"));
        }
    }

    @Test
    void failuresArePagedOldestFirstAndTheirUnionIsEveryFailure() throws Exception {
        Instant start = Instant.now().minusSeconds(60);
        List<FailedFile> recorded = new ArrayList<>();
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            for (int i = 0; i < 25; i++) {
                // Three records per millisecond: the cursor must order ties by marker, not skip or repeat them.
                FailedFile failed = new FailedFile("b", "bad/" + (char) ('a' + (i * 7) % 25) + ".parquet", "e" + i,
                        "not a Parquet file", start.plusMillis(i / 3));
                store.recordFailure(failed.bucket(), failed.key(), failed.etag(), failed.reason(), failed.time());
                recorded.add(failed);
            }

            List<FailedFile> walked = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            Optional<String> cursor = Optional.empty();
            do {
                Page<FailedFile> page = store.failures(cursor.orElse(null), 10);
                sizes.add(page.items().size());
                walked.addAll(page.items());
                cursor = page.next();
            } while (cursor.isPresent());

            assertThat(sizes).containsExactly(10, 10, 5);
            assertThat(walked).containsExactlyInAnyOrderElementsOf(recorded);
            assertThat(walked).isSortedAccordingTo(java.util.Comparator.comparing(FailedFile::time));
            assertThatThrownBy(() -> store.failures("not a cursor", 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("cursor must be the next cursor of a "
                            + "previous page");
        }
    }

    private static Map<String, Long> withTotal(Map<String, Long> amounts) {
        Map<String, Long> with = new HashMap<>(amounts);
        with.put("total", amounts.values().stream().mapToLong(Long::longValue).sum());
        return with;
    }

    @Test
    void rejectedNotificationsAreRecordedOncePerMessageWithTheirBodyAndPaged() throws Exception {
        Instant first = Instant.parse("2026-11-22T10:00:00Z");
        try (TotalsStore store = UserSecondsLayout.open(server.settings())) {
            String broken = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",";
            assertThat(store.recordReject("sqs:q/m1", "malformed JSON", broken, first)).isTrue();
            assertThat(store.recordReject("sqs:q/m1", "malformed JSON", broken, first.plusSeconds(9)))
                    .as("a redelivery of the same message").isFalse();
            assertThat(store.recordReject("sqs:q/m2", "no Records", "{}", first.plusSeconds(1))).isTrue();

            Page<RejectedNotification> page = store.rejects(null, 1);
            assertThat(page.items()).containsExactly(
                    new RejectedNotification("sqs:q/m1", "malformed JSON", broken, first));
            assertThat(store.rejects(page.next().orElseThrow(), 1).items()).containsExactly(
                    new RejectedNotification("sqs:q/m2", "no Records", "{}", first.plusSeconds(1)));
        }
    }
}
