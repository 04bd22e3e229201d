package dev.sluice.pipelines.lake;

import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.pipelines.HaltingWorker;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The lake pipeline fed from SQS (ElasticMQ) into s3proxy and Postgres, with the real error table. */
@OnEachPostgres
class LakeSqsTest {

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    PostgresDatabase db;
    LakeSqsHarness lake;

    @BeforeEach
    void open() throws Exception {
        db = new PostgresDatabase(database.settings());
        db.migrate(LakePipeline.MIGRATIONS, LakePipeline.HISTORY_TABLE);
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE lake_seen, lake_compactions, lake_errors, lake_storing");
        }
        lake = new LakeSqsHarness(db, dir);
    }

    @AfterEach
    void close() throws Exception {
        lake.close();
        db.close();
    }

    static String event(String uuidJson, int n) {
        return "{\"event_uuid\":" + uuidJson + ",\"event_name\":\"type" + (n % 3) + ":sub\",\"created_at\":"
                + (Instant.now().getEpochSecond() - 3_600 + n) + ",\"n\":" + n + "}";
    }

    static List<String> events(String prefix, int count) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(event("\"" + prefix + "-" + i + "\"", i));
        }
        return bodies;
    }

    /**
     * A worker halts right after storing its first file (its events in no lake_seen row, its messages not deleted).
     * The restarted pipeline gets the redelivered messages mixed with new ones, so they fall into files grouped
     * differently from the first run's: every event is in the lake exactly once all the same.
     */
    @Test
    void aCrashBetweenThePutAndLakeSeenDoublesNothingAfterRedelivery() throws Exception {
        lake.send(events("first", 60));
        HaltingWorker.start(dir, LakeSqsWorker.class, LakeSqsHarness.SQS.endpoint().toString(), lake.queue,
                TestLake.S3.endpoint().toString(), lake.lake.bucket, database.jdbcUrl(),
                dir.resolve("worker-work").toString(), "1").awaitHalt("its first PutObject");
        assertThat(lake.lakeIds()).as("the file stored before the halt").isNotEmpty();
        lake.send(events("second", 30));

        lake.start();
        lake.awaitDrained();

        List<String> all = new ArrayList<>(ids("first", 60));
        all.addAll(ids("second", 30));
        List<String> stored = lake.lakeIds();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(all);
        assertThat(lake.errors()).isEmpty();
    }

    /**
     * lake_seen refuses the first two writes (a trigger: as a full disk would) and the dedupe gives up at the first
     * failure (recordFor of a nanosecond), so a stored file's events go unrecorded. Its object is deleted, then its
     * lake_storing row, before its messages go back; their redelivery (receive count 2, grouped anew) stores every
     * event exactly once, with no second copy next to the first file. The first two deletes fail (S3 unreachable):
     * those files' messages stay claimed until a later roll deletes them.
     */
    @Test
    void aStoredFileWhoseEventsCannotBeRecordedIsDeletedBeforeItsMessagesComeAgain() throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SEQUENCE lake_seen_refusals");
            s.execute("CREATE FUNCTION refuse_lake_seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF nextval('lake_seen_refusals') <= 2 THEN "
                    + "RAISE EXCEPTION 'lake_seen refuses this write' USING ERRCODE = '53100'; END IF; "
                    + "RETURN NULL; END $$");
            s.execute("CREATE TRIGGER refuse_lake_seen BEFORE INSERT ON lake_seen FOR EACH STATEMENT "
                    + "EXECUTE FUNCTION refuse_lake_seen()");
        }
        try {
            lake.dedupe = new DedupeSettings(null, null, null, null, Duration.ofNanos(1));
            AtomicInteger deletes = new AtomicInteger();
            lake.send(events("first", 40));
            lake.start(new ForwardingS3(lake.lake.s3) {
                @Override
                public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
                    if (deletes.incrementAndGet() <= 2) {
                        throw SdkClientException.create("S3 unreachable (test)");
                    }
                    return super.deleteObject(request);
                }
            });

            lake.awaitDrained();

            List<String> stored = lake.lakeIds();
            assertThat(stored).as("rows across all objects").hasSize(40).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(ids("first", 40));
            assertThat(count("SELECT last_value FROM lake_seen_refusals")).as("both refusals came")
                    .isGreaterThanOrEqualTo(3);
            assertThat(deletes).as("two failed deletes, then one per file given up").hasValue(4);
            assertThat(count("SELECT count(*) FROM lake_seen")).isEqualTo(40);
            assertThat(count("SELECT count(*) FROM lake_storing")).as("rows of deleted files dropped").isZero();
            assertThat(lake.errors()).isEmpty();
        } finally {
            lake.stop();
            try (Connection c = database.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse_lake_seen ON lake_seen");
                s.execute("DROP FUNCTION refuse_lake_seen()");
                s.execute("DROP SEQUENCE lake_seen_refusals");
            }
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Random letters and digits: about 6 bits each, so Postgres cannot compress them under the index limit. */
    static String randomLetters(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Random random = new Random(11);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static List<String> ids(String prefix, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    /**
     * An event_uuid that lake_seen cannot hold (NUL: SQLState 22021; 8,000 random letters: past the btree row
     * limit, 54000), one that is not Unicode (a lone surrogate) and one with a control character: each is a reject
     * with its reason in lake_errors, and the events before and after them are stored once each.
     */
    @Test
    void poisonEventUuidsAreRejectsWithTheirReasonAndLaterEventsStillFlow() throws Exception {
        List<String> poison = List.of(event("\"nul\\u0000inside\"", 1), event("\"" + randomLetters(8_000) + "\"", 2),
                event("\"lone\\ud800\"", 3), event("\"tab\\tinside\"", 4));
        lake.send(events("before", 30));
        lake.send(poison);
        lake.send(events("after", 30));
        lake.start();

        lake.awaitDrained();

        List<String> expected = new ArrayList<>(ids("before", 30));
        expected.addAll(ids("after", 30));
        assertThat(lake.lakeIds()).containsExactlyInAnyOrderElementsOf(expected);
        List<List<String>> errors = lake.errors();
        assertThat(errors).extracting(e -> e.get(0)).containsExactlyInAnyOrder(
                "event_uuid: must not contain a control character (U+0000-U+001F, U+007F-U+009F), found one at "
                        + "position 3",
                "event_uuid: longer than 256 characters (8000)",
                "event_uuid: must be valid Unicode, found an unpaired surrogate at position 4",
                "event_uuid: must not contain a control character (U+0000-U+001F, U+007F-U+009F), found one at "
                        + "position 3");
        assertThat(errors).extracting(e -> e.get(1)).containsExactlyInAnyOrderElementsOf(poison);

        lake.send(events("later", 10));
        List<String> all = new ArrayList<>(expected);
        all.addAll(ids("later", 10));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(lake.lakeIds()).containsExactlyInAnyOrderElementsOf(all));
    }
}
