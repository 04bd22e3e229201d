package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.pipelines.HaltingWorker;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.RedisSettings;
import dev.sluice.redis.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash after the Redis script and before the SQS delete: a worker JVM counts files and dies at its first delete;
 * the notifications come back and a new worker finds the files counted. Every file counts exactly once.
 */
class PlaytimeCrashTest {

    @TempDir
    Path dir;

    @Test
    void aCrashAfterTheScriptAndBeforeTheDeleteCountsEachFileOnce() throws Exception {
        RedisSettings redis = TestRedis.embedded().settings();
        try (PlaytimeHarness h = new PlaytimeHarness(redis)) {
            EventDurationFileGenerator generator = new EventDurationFileGenerator(20, 5);
            List<GeneratedFile> files = new ArrayList<>();
            List<S3ObjectRef> uploaded = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                GeneratedFile file = generator.write(dir.resolve(i + ".parquet"), 50_000);
                files.add(file);
                uploaded.add(h.upload(file.file(), "crash/" + i + ".parquet"));
            }

            Path config = Files.writeString(dir.resolve("playtime.yaml"), PlaytimeHarness.config(redis, h.queue,
                    "{workDirectory: \"" + Files.createDirectories(dir.resolve("worker-work")) + "\"}"));
            HaltingWorker.start(dir, PlaytimeWorker.class, config.toString()).awaitHalt("its first delete");
            long countedBeforeTheCrash = 0;
            for (S3ObjectRef ref : uploaded) {
                if (h.store.isApplied(TotalsKeys.marker(ref.bucket(), ref.key(), ref.eTag()))) {
                    countedBeforeTheCrash++;
                }
            }
            assertThat(countedBeforeTheCrash).as("files counted in Redis before the crash").isPositive();
            assertThat(h.queueDepth()).as("no notification was deleted").isEqualTo(3);

            h.start();
            h.awaitSettled(0);

            assertThat(h.store.allGroups()).isEqualTo(PlaytimeHarness.expectedUsers(files));
            assertThat(h.store.total()).isEqualTo(files.stream().mapToLong(GeneratedFile::total).sum());
            assertThat(h.runner().metrics().receivedCount()).isEqualTo(3);
        }
    }
}
