package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.UsersPage;
import dev.sluice.redis.testing.OnEachRedis;
import dev.sluice.redis.testing.TestRedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline end to end on ElasticMQ, s3proxy and each Redis (embedded 6.2 and the machine's Redis 7). */
@OnEachRedis
class PlaytimePipelineTest {

    @Parameter
    TestRedisServer redis;

    @TempDir
    Path dir;

    @Test
    void generatedFilesAddUpExactlyToWhatWasWritten() throws Exception {
        try (PlaytimeHarness h = new PlaytimeHarness(redis.settings())) {
            EventDurationFileGenerator generator = new EventDurationFileGenerator(10, 42);
            List<GeneratedFile> files = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                GeneratedFile file = generator.write(dir.resolve("day-" + i + ".parquet"), 100_000);
                files.add(file);
                h.upload(file.file(), "2026/11/day " + i + ".parquet");
            }
            h.start();
            h.awaitSettled(0);

            UsersPage page = h.store.groups(null, 100);
            assertThat(page.users()).isEqualTo(PlaytimeHarness.expectedUsers(files));
            assertThat(page.total()).isEqualTo(files.stream().mapToLong(GeneratedFile::total).sum());
            assertThat(page.users().keySet()).startsWith("user_1", "user_2").endsWith("user_10");
            assertThat(h.store.failures()).isEmpty();
            assertThat(h.runner().metrics().writtenCount()).isEqualTo(3);
        }
    }

    @Test
    void theSameNotificationFiveTimesCountsOnce() throws Exception {
        try (PlaytimeHarness h = new PlaytimeHarness(redis.settings())) {
            GeneratedFile file = new EventDurationFileGenerator(5, 7).write(dir.resolve("once.parquet"), 20_000);
            S3ObjectRef uploaded = h.upload(file.file(), "once.parquet");
            for (int i = 0; i < 4; i++) {
                h.sendAgain(uploaded);
            }
            h.start();
            h.awaitSettled(0);

            assertThat(h.runner().metrics().receivedCount()).isEqualTo(5);
            assertThat(h.store.allGroups()).isEqualTo(PlaytimeHarness.expectedUsers(List.of(file)));
            assertThat(h.store.total()).isEqualTo(file.total());
            assertThat(h.store.isApplied(TotalsKeys.marker(h.bucket, "once.parquet", uploaded.eTag()))).isTrue();
        }
    }

    @Test
    void anObjectOverwrittenBeforeItIsReadCountsAsReadUnderTheETagRead() throws Exception {
        try (PlaytimeHarness h = new PlaytimeHarness(redis.settings())) {
            GeneratedFile first = new EventDurationFileGenerator(3, 1).write(dir.resolve("v1.parquet"), 1_000);
            GeneratedFile second = new EventDurationFileGenerator(4, 2).write(dir.resolve("v2.parquet"), 2_000);
            S3ObjectRef v1 = h.upload(first.file(), "same-key.parquet");
            S3ObjectRef v2 = h.upload(second.file(), "same-key.parquet");
            assertThat(v2.eTag()).isNotEqualTo(v1.eTag());

            // Both notifications arrive after the overwrite: the first one reads the second version.
            h.start();
            h.awaitSettled(0);

            assertThat(h.store.allGroups()).isEqualTo(PlaytimeHarness.expectedUsers(List.of(second)));
            assertThat(h.store.isApplied(TotalsKeys.marker(h.bucket, "same-key.parquet", v2.eTag()))).isTrue();
            assertThat(h.store.isApplied(TotalsKeys.marker(h.bucket, "same-key.parquet", v1.eTag()))).isFalse();
            assertThat(h.store.failures()).isEmpty();
        }
    }

    @Test
    void objectsTheFilterLeavesOutAreDroppedAndTestEventsDeleted() throws Exception {
        try (PlaytimeHarness h = new PlaytimeHarness(redis.settings())) {
            GeneratedFile file = new EventDurationFileGenerator(2, 3).write(dir.resolve("a.parquet"), 100);
            h.upload(file.file(), "notes.csv");
            h.send("""
                    {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-22T10:00:00.000Z",\
                    "Bucket":"%s","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}"""
                    .formatted(h.bucket));
            h.start();
            h.awaitSettled(0);

            assertThat(h.runner().metrics().receivedCount()).isEqualTo(2);
            assertThat(h.store.total()).isZero();
            assertThat(h.store.failures()).isEmpty();
        }
    }
}
