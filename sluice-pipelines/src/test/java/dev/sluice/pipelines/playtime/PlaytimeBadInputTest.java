package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.parquet.EventDurationFileGenerator.GeneratedFile;
import dev.sluice.parquet.EventDurationFileWriter;
import dev.sluice.parquet.Compression;
import dev.sluice.redis.FailedFile;
import dev.sluice.redis.testing.TestRedis;
import dev.sluice.redis.testing.TestRedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bad-input rule of the playtime pipeline, each next to a good file: the bad one is recorded with its reason
 * (bucket, key, ETag, time), its notification ends in the dead-letter queue unchanged, nothing of it is counted,
 * and the good file counts in full.
 */
class PlaytimeBadInputTest {
    private static final TestRedisServer REDIS = TestRedis.embedded();

    @TempDir
    Path dir;

    private PlaytimeHarness h;
    private GeneratedFile good;

    @BeforeEach
    void start() throws Exception {
        h = new PlaytimeHarness(REDIS.settings());
        good = new EventDurationFileGenerator(4, 9).write(dir.resolve("good.parquet"), 5_000);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void anObjectThatIsNotParquet() throws Exception {
        assertRefused(upload("notes.parquet", Files.writeString(dir.resolve("csv"), "UserID,EventType\nu,menu\n")),
                "file refused: not a Parquet file (magic bytes missing)");
    }

    @Test
    void anEmptyObject() throws Exception {
        assertRefused(upload("empty.parquet", Files.createFile(dir.resolve("empty"))),
                "file refused: empty file (0 bytes)");
    }

    @Test
    void aColumnMissing() throws Exception {
        assertRefused(upload("missing.parquet", duckDbFile("SELECT 'user_1' AS UserID, 5::BIGINT AS EventDuration")),
                "file refused: column EventType is missing");
    }

    @Test
    void aStringDuration() throws Exception {
        assertRefused(upload("string.parquet",
                        duckDbFile("SELECT 'user_1' AS UserID, 'menu' AS EventType, '5' AS EventDuration")),
                "file refused: column EventDuration: expected INT64, found BINARY (string)");
    }

    @Test
    void aNumericUserId() throws Exception {
        assertRefused(upload("numeric.parquet",
                        duckDbFile("SELECT 42::BIGINT AS UserID, 'menu' AS EventType, 5::BIGINT AS EventDuration")),
                "file refused: column UserID: expected BINARY (string), found INT64");
    }

    @Test
    void aNullValue() throws Exception {
        assertRefused(upload("null.parquet", playtimeFile("user_1", "menu", 3L, "user_2", null, 4L)),
                "file refused: row 2: EventType is null");
    }

    @Test
    void aNegativeDuration() throws Exception {
        assertRefused(upload("negative.parquet", playtimeFile("user_1", "menu", 3L, "user_2", "menu", -4L)),
                "file refused: row 2: EventDuration is negative");
    }

    @Test
    void anAbsurdDuration() throws Exception {
        assertRefused(upload("absurd.parquet", playtimeFile("user_1", "battle", 86_401L, "user_2", "menu", 4L)),
                "file refused: row 1: EventDuration exceeds 86400 seconds");
    }

    @Test
    void aNotificationForADeletedObject() throws Exception {
        S3ObjectRef gone = upload("gone.parquet", good.file());
        h.s3.deleteObject(r -> r.bucket(h.bucket).key("gone.parquet"));
        assertRefused(gone, "file refused: s3://" + h.bucket + "/gone.parquet no longer exists");
    }

    @Test
    void aNotificationForAnUnknownBucket() throws Exception {
        S3ObjectRef elsewhere = new S3ObjectRef("no-such-bucket-" + h.bucket, "day.parquet", 10,
                "0123456789abcdef0123456789abcdef", Instant.now(), "ObjectCreated:Put",
                java.util.Optional.empty(), java.util.Optional.empty());
        h.sendAgain(elsewhere);
        assertRefused(elsewhere, "file refused: bucket " + elsewhere.bucket() + " does not exist");
    }

    @Test
    void aParquetFileWithoutRowsCountsAsNothingAndIsNoFailure() throws Exception {
        Path noRows = dir.resolve("no-rows.parquet");
        EventDurationFileWriter.create(noRows, Compression.SNAPPY, 100, true).close();
        upload("no-rows.parquet", noRows);
        uploadGood();
        h.start();
        h.awaitSettled(0);

        assertThat(h.store.failures()).isEmpty();
        assertThat(h.store.allGroups()).isEqualTo(PlaytimeHarness.expectedUsers(List.of(good)));
    }

    @Test
    void aMalformedNotificationGoesToTheDeadLetterQueueAsItCame() {
        String broken = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",";
        h.send(broken);
        uploadGood();
        h.start();
        h.awaitSettled(1);

        assertThat(deadLetters()).singleElement().extracting(Message::body).isEqualTo(broken);
        assertThat(h.runner().metrics().rejectedCount()).isEqualTo(PlaytimeHarness.MAX_RECEIVES);
        // Stored as a reject, once for its two receives, with its reason and the body as it came.
        assertThat(h.store.rejects(null, 10).items()).singleElement().satisfies(reject -> {
            assertThat(reject.body()).isEqualTo(broken);
            assertThat(reject.reason()).isEqualTo("body: not valid JSON (line 1, column 46)");
            assertThat(reject.message()).startsWith("sqs:" + h.queue + "/").doesNotContain("#");
        });
        assertThat(h.store.failures()).isEmpty();
        assertThat(h.store.allGroups()).isEqualTo(PlaytimeHarness.expectedUsers(List.of(good)));
    }

    @Test
    void aWorkDirectoryThatCannotBeCreatedStopsTheStartNamingIt() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x").resolve("work");
        try (PlaytimeHarness cannotWrite = new PlaytimeHarness(REDIS.settings(), notADirectory)) {
            assertThatThrownBy(cannotWrite::assemble)
                    .hasMessage("test-1.yaml:6:12: pipelines.playtime.sink.workDirectory: cannot write to "
                            + notADirectory + " (FileSystemException)");
        }
    }

    private void assertRefused(S3ObjectRef bad, String reason) {
        uploadGood();
        Instant before = Instant.now();
        h.start();
        h.awaitSettled(1);

        assertThat(h.store.failures()).singleElement().satisfies(failed -> {
            assertThat(failed).usingRecursiveComparison().ignoringFields("time")
                    .isEqualTo(new FailedFile(bad.bucket(), bad.key(), bad.eTag(), reason, before));
            assertThat(failed.time()).isBetween(before.minusSeconds(1), Instant.now());
        });
        // Nothing of the bad file counted, all of the good one.
        assertThat(h.store.allGroups()).isEqualTo(PlaytimeHarness.expectedUsers(List.of(good)));
        assertThat(h.store.total()).isEqualTo(good.total());
        // Its notification is in the dead-letter queue as S3 sent it, for a replay once the file is fixed.
        assertThat(deadLetters()).singleElement().extracting(Message::body).asString()
                .contains("\"name\":\"" + bad.bucket() + "\"", bad.eTag());
        assertThat(h.runner().metrics().rejectedCount()).isEqualTo(PlaytimeHarness.MAX_RECEIVES);
        assertThat(h.store.rejects(null, 10).items()).singleElement().satisfies(reject -> {
            assertThat(reject.reason()).isEqualTo(reason);
            assertThat(reject.body()).contains(bad.eTag());
        });
    }

    private void uploadGood() {
        h.upload(good.file(), "good.parquet");
    }

    private S3ObjectRef upload(String key, Path file) {
        return h.upload(file, key);
    }

    private List<Message> deadLetters() {
        return h.sqs.receiveMessage(r -> r.queueUrl(h.urls.deadLetterQueueUrl()).maxNumberOfMessages(10)
                .waitTimeSeconds(1)).messages();
    }

    private Path duckDbFile(String select) throws Exception {
        Path file = dir.resolve("duck-" + System.nanoTime() + ".parquet");
        try (var duck = DriverManager.getConnection("jdbc:duckdb:"); var statement = duck.createStatement()) {
            statement.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
        }
        return file;
    }

    /** Rows of (UserID, EventType, EventDuration), any of them null. */
    private Path playtimeFile(Object... cells) throws Exception {
        Path file = dir.resolve("rows-" + System.nanoTime() + ".parquet");
        try (var writer = EventDurationFileWriter.create(file, Compression.SNAPPY, 100, true)) {
            for (int i = 0; i < cells.length; i += 3) {
                writer.write((String) cells[i], (String) cells[i + 1], (Long) cells[i + 2]);
            }
        }
        return file;
    }
}
