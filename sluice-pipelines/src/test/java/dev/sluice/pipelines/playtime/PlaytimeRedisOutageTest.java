package dev.sluice.pipelines.playtime;

import dev.sluice.local.EmbeddedRedis;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import dev.sluice.redis.RedisSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away for 30 seconds while files are in work, far longer than the queue's 4-second visibility timeout:
 * the engine retries, the heartbeat keeps the notifications claimed, and once Redis is back every file counts once.
 * Two files are uploaded before the outage and two during it, so files wait for Redis however fast the first two go.
 */
class PlaytimeRedisOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void redisDownForThirtySecondsMidFileLosesAndDoublesNothing() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(dir.resolve("redis"))) {
            RedisSettings settings = new RedisSettings(redis.url()).withTimeouts(Duration.ofMillis(500),
                    Duration.ofSeconds(2));
            try (PlaytimeHarness h = new PlaytimeHarness(settings)) {
                EventDurationFileGenerator generator = new EventDurationFileGenerator(1_000, 3);
                List<GeneratedFile> files = new ArrayList<>();
                for (int i = 1; i <= 4; i++) {
                    files.add(generator.write(dir.resolve(i + ".parquet"), 400_000));
                }
                uploadAll(h, files.subList(0, 2), 1);

                h.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> h.runner().inFlight() > 0);
                redis.stop();
                // The first files may finish before Redis is gone; the last two surely arrive during the outage.
                uploadAll(h, files.subList(2, 4), 3);
                Thread.sleep(OUTAGE);
                assertThat(h.runner().inFlight()).as("files wait for Redis, claimed").isPositive();
                redis.start();
                h.awaitSettled(0);

                assertThat(h.store.allGroups()).isEqualTo(PlaytimeHarness.expectedUsers(files));
                assertThat(h.store.total()).isEqualTo(files.stream().mapToLong(GeneratedFile::total).sum());
                assertThat(h.store.failures()).isEmpty();
                var metrics = h.runner().metrics();
                assertThat(metrics.retriedCount()).as("writes retried while Redis was down").isPositive();
                assertThat(metrics.claimsExtendedCount()).as("the heartbeat held the claims").isPositive();
                assertThat(metrics.receivedCount()).as("no notification came back while claimed").isEqualTo(4);
            }
        }
    }

    private static void uploadAll(PlaytimeHarness h, List<GeneratedFile> files, int firstNumber) {
        for (int i = 0; i < files.size(); i++) {
            h.upload(files.get(i).file(), "outage/" + (firstNumber + i) + ".parquet");
        }
    }
}
