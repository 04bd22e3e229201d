package dev.sluice.pipelines.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.aws.s3.S3ObjectStores;
import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.dedupe.DedupingSink;
import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.dedupe.SeenEvents;
import dev.sluice.core.engine.BufferingSink.Durable;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.files.FileNamer;
import dev.sluice.core.files.NdjsonGzip;
import dev.sluice.core.files.Partitioner;
import dev.sluice.core.files.RollingFileSink;
import dev.sluice.core.files.Rotation;
import dev.sluice.core.pipeline.Event;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSeenEvents;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files sink behind a dedupe, on real S3 (s3proxy) and Postgres: a worker stores two files of one shard and
 * partition and stops (as if killed) right after each put, before the file's events are recorded. The next worker
 * reads the same records again and cuts its files elsewhere (3 events a file, not 2), so the first rewrite covers the
 * events of both old files and the second old file keeps a name no new file has. The storing ledger (a row per file
 * written before its put, dropped with the record) makes the next worker delete both old files before it writes:
 * every event is stored exactly once.
 */
class DedupedFilesLedgerTest {
    private static final String SEEN = "ledger_test_seen";
    private static final String BUCKET = "ledger";
    private static final Instant SENT = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path temp;

    /** Stops the worker where a SIGKILL would: right after the put, before the record. */
    private static final class Halt extends Error {
        Halt() {
            super("halted after a put, before the record");
        }
    }

    @Test
    void twoFilesStoredAndNeverRecordedAreDeletedBeforeTheReplayCutsItsFilesElsewhere() throws Exception {
        try (TestDatabase database = TestDatabases.embedded(); PostgresDatabase db = new PostgresDatabase(
                database.settings()); EmbeddedS3 s3 = EmbeddedS3.start(temp.resolve("s3"));
             S3Client client = s3.newClient()) {
            try (Connection c = database.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + SEEN + ", " + SEEN + "_storing, sluice_history_" + SEEN);
            }
            db.migrate("db/seen-events", "sluice_history_" + SEEN, Map.of("table", SEEN));
            PostgresSeenEvents seen = new PostgresSeenEvents(db.dataSource(), SEEN, SEEN + "_storing");
            s3.createBucket(BUCKET);
            List<Message> records = IntStream.rangeClosed(1, 5).mapToObj(DedupedFilesLedgerTest::record).toList();

            List<Message> acknowledged = new CopyOnWriteArrayList<>();
            DedupingSink<Event> halted = deduped(client, seen, haltingAtRecord(seen), 2, "work-1", acknowledged);
            assertThatThrownBy(() -> halted.write(deliveries(records.subList(0, 2)))).isInstanceOf(Halt.class);
            assertThatThrownBy(() -> halted.write(deliveries(records.subList(2, 4)))).isInstanceOf(Halt.class);
            assertThat(keys(client)).containsExactly("clicks/shardId-0-1.json.gz", "clicks/shardId-0-3.json.gz");
            assertThat(seen.unsettled()).containsExactlyInAnyOrderElementsOf(keys(client));
            assertThat(seen.recorded(List.of("c-1", "c-2", "c-3", "c-4"))).isEmpty();
            assertThat(acknowledged).isEmpty();

            DedupingSink<Event> restarted = deduped(client, seen, seen, 3, "work-2", acknowledged);
            restarted.write(deliveries(records));
            restarted.flush();

            assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(records);
            assertThat(keys(client)).containsExactly("clicks/shardId-0-1.json.gz", "clicks/shardId-0-4.json.gz");
            List<String> stored = new ArrayList<>();
            for (String key : keys(client)) {
                stored.addAll(lines(client, key));
            }
            assertThat(stored).containsExactlyInAnyOrderElementsOf(records.stream().map(Message::body).toList());
            assertThat(seen.unsettled()).isEmpty();
            assertThat(seen.recorded(List.of("c-1", "c-2", "c-3", "c-4", "c-5"))).hasSize(5);
        }
    }

    /** A worker: the files sink (one folder, {@code maxEvents} a file) behind a dedupe by body. */
    private DedupingSink<Event> deduped(S3Client client, PostgresSeenEvents real, SeenEvents seen, int maxEvents,
                                        String work, List<Message> acknowledged) throws IOException {
        RollingFileSink files = new RollingFileSink(new RollingFileSink.Parts("clicks", "clicks/",
                Partitioner.of("", "__missing__"), FileNamer.SOURCE_POSITION, new NdjsonGzip(NdjsonGzip.Content.BODY),
                new S3ObjectStores(client).forBucket(BUCKET), new Rotation.Policy(maxEvents, 1 << 20,
                Duration.ofHours(1)), 8, temp.resolve(work)), new SimpleMeterRegistry(), Clock.systemUTC());
        DedupingSink<Event> sink = new DedupingSink<>(files, event -> new SeenEvent(event.message().body()
                .replaceAll(".*\"(c-\\d+)\".*", "$1"), event.message().sentAt()), seen, DedupeSettings.DEFAULTS,
                Clock.systemUTC());
        sink.start(Durable.of(acknowledged::addAll, (messages, reason) -> {
            throw new AssertionError("nothing is released: " + reason);
        }));
        return sink;
    }

    /** {@code seen}, halting at the record of a stored file's events. */
    private static SeenEvents haltingAtRecord(PostgresSeenEvents seen) {
        return new SeenEvents() {
            @Override
            public Set<String> recorded(Collection<String> keys) throws Exception {
                return seen.recorded(keys);
            }

            @Override
            public void record(Collection<SeenEvent> events, Instant now) {
                throw new Halt();
            }

            @Override
            public void record(Collection<SeenEvent> events, Instant now, String object) {
                throw new Halt();
            }

            @Override
            public long forgetBefore(Instant cutoff) throws Exception {
                return seen.forgetBefore(cutoff);
            }

            @Override
            public void forEachSince(Instant since, Consumer<SeenEvent> action) throws Exception {
                seen.forEachSince(since, action);
            }

            @Override
            public void storing(String object) throws Exception {
                seen.storing(object);
            }

            @Override
            public Set<String> unsettled() throws Exception {
                return seen.unsettled();
            }
        };
    }

    private static Message record(int n) {
        return new Message("{\"click_id\": \"c-" + n + "\"}", new SourceCoordinates.Stream("clicks", "shardId-0",
                String.valueOf(n)), SENT, "shardId-0/" + n);
    }

    private static List<Delivery<Event>> deliveries(List<Message> messages) {
        return messages.stream().map(m -> new Delivery<>(m, Event.of(m))).toList();
    }

    private static List<String> keys(S3Client s3) {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().stream().map(S3Object::key).sorted()
                .toList();
    }

    private static List<String> lines(S3Client s3, String key) throws IOException {
        try (InputStream in = new GZIPInputStream(s3.getObject(r -> r.bucket(BUCKET).key(key)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
