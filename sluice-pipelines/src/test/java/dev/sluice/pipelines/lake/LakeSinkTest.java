package dev.sluice.pipelines.lake;

import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.RecordingDurable;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.parquet.lake.DirectoryLakeObjectStore;
import dev.sluice.parquet.lake.LakeEvent;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.parquet.lake.PartitionedParquetWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The lake sink under the runner, storing into the embedded S3: what is acknowledged is in a stored object. */
class LakeSinkTest {
    private static final EmbeddedS3 S3 = EmbeddedS3.start(temporaryDirectory());
    private static final RunnerSettings QUICK = new RunnerSettings(1, 1_000, 50, Duration.ofMillis(5), 2,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)), Duration.ofSeconds(10));
    /** Files close one second after their first event, at the runner's next tick. */
    private static final LakeFileSettings QUICK_FILES = new LakeFileSettings(null, null, Duration.ofSeconds(1), 20,
            4L * 1024 * 1024, null);

    @TempDir
    Path dir;

    private final S3Client s3 = S3.newClient();
    private final String bucket = "lake-" + UUID.randomUUID();
    private final InMemoryQueue queue = new InMemoryQueue("product-events", Duration.ofMinutes(5));
    private final List<Rejected> rejects = new CopyOnWriteArrayList<>();
    private PartitionedParquetWriter writer;
    private Runner<?> runner;

    @BeforeEach
    void createBucket() {
        S3.createBucket(bucket);
    }

    @AfterEach
    void stop() throws IOException {
        if (!S3.isRunning()) {
            S3.start();
        }
        if (runner != null) {
            runner.stop();
        }
        if (writer != null) {
            writer.close();
        }
        s3.close();
    }

    @AfterAll
    static void closeStore() {
        S3.close();
    }

    private void start() throws IOException {
        writer = new PartitionedParquetWriter(QUICK_FILES, new S3LakeObjectStore(s3, bucket), dir.resolve("work"));
        runner = Runner.builder("lake", queue, new LakeEventParser(), new LakeSink(writer, Clock.systemUTC()),
                rejects::addAll).settings(QUICK).build();
        runner.start();
    }

    /** Good events over 4 types and 3 days, as JSON bodies by event_uuid. */
    private static Map<String, String> goodEvents(int count) {
        Map<String, String> events = new LinkedHashMap<>();
        long day = 86_400;
        long base = Instant.now().getEpochSecond() - 3 * day;
        for (int i = 0; i < count; i++) {
            String uuid = "event-" + i;
            events.put(uuid, "{\"event_uuid\":\"" + uuid + "\",\"event_name\":\"type" + (i % 4) + ":sub\","
                    + "\"created_at\":" + (base + (i % 3) * day + i) + ".25,\"n\":" + i + "}");
        }
        return events;
    }

    @Test
    void goodEventsLandOnceInStoredObjectsAndBadOnesAreRejectedWithTheirBody() throws Exception {
        Map<String, String> good = goodEvents(300);
        String now = Long.toString(Instant.now().getEpochSecond());
        good.put("single", "{\"event_uuid\":\"single\",\"event_name\":\"heartbeat\",\"created_at\":" + now + "}");
        good.put("level-number", "{\"event_uuid\":\"level-number\",\"event_name\":\"game:level\",\"created_at\":"
                + now + ",\"level\":3}");
        good.put("level-text", "{\"event_uuid\":\"level-text\",\"event_name\":\"game:level\",\"created_at\":"
                + now + ",\"level\":\"high\"}");
        String head = "{\"event_uuid\":\"big\",\"event_name\":\"blob:one\",\"created_at\":" + now + ",\"b\":\"";
        good.put("big", head + "z".repeat(LakeEventParser.MAX_RECORD_BYTES - head.length() - 2) + "\"}");
        Map<String, String> bad = new HashMap<>();
        bad.put("not json", "body: not valid JSON");
        bad.put("{\"event_name\":\"a:b\",\"created_at\":1}", "event_uuid: missing");
        bad.put("{\"event_uuid\":\"x1\",\"created_at\":1}", "event_name: missing");
        bad.put("{\"event_uuid\":\"x2\",\"event_name\":\"a:b\"}", "created_at: missing");
        bad.put("{\"event_uuid\":\"x3\",\"event_name\":\"a:b\",\"created_at\":\"1700000000\"}",
                "created_at: expected a JSON number");
        bad.put("{\"event_uuid\":\"x4\",\"event_name\":\"a:b\",\"created_at\":-5}", "created_at: must not be negative");
        bad.put("{\"event_uuid\":\"x5\",\"event_name\":\"a:b\",\"created_at\":99999999999}",
                "created_at: more than PT24H in the future");
        bad.put("{\"event_uuid\":\"x6\",\"event_name\":\"a::b\",\"created_at\":1}", "event_name: an empty part");
        bad.put(head + "z".repeat(LakeEventParser.MAX_RECORD_BYTES) + "\"}", "body: ");
        good.values().forEach(queue::send);
        bad.keySet().forEach(queue::send);

        start();

        await().atMost(Duration.ofMinutes(1)).until(() -> queue.remaining() == 0);
        Map<String, String> lake = readLake();
        assertThat(lake.keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
        assertThat(lake.get("level-number")).isEqualTo("{\"level\":3}");
        assertThat(lake.get("level-text")).isEqualTo("{\"level\":\"high\"}");
        assertThat(lake.get("big")).hasSize(LakeEventParser.MAX_RECORD_BYTES - head.length() + "{\"b\":\"".length());
        assertThat(rejects).hasSize(bad.size());
        for (Rejected r : rejects) {
            assertThat(r.reason()).startsWith(bad.get(r.source().body()));
        }
        assertThat(queue.acknowledgedIds()).hasSize(good.size() + bad.size());
    }

    @Test
    void aStoreOutageAcknowledgesNothingUntilTheFilesAreStoredThenEveryEventOnce() throws Exception {
        Map<String, String> good = goodEvents(200);
        good.values().forEach(queue::send);
        S3.stop();

        start();

        await().atMost(Duration.ofMinutes(1)).until(() -> runner.metrics().retriedCount() >= 2);
        assertThat(queue.acknowledgedIds()).isEmpty();
        assertThat(writer.pendingFiles()).isPositive();

        S3.start();
        await().atMost(Duration.ofMinutes(1)).until(() -> queue.remaining() == 0);
        assertThat(readLake().keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
        assertThat(queue.acknowledgedIds()).hasSize(good.size());
    }

    @Test
    void filesAreNamedByTheRecordsShardAndSequenceOrQueueMessageIdAndDelivery() {
        assertThat(LakeSink.Position.of(new SourceCoordinates.Stream("product-events", "shardId-000000000003",
                "4959033827149025660855969253836157"))).isEqualTo(new LakeSink.Position("shardId-000000000003",
                "4959033827149025660855969253836157"));
        assertThat(LakeSink.Position.of(new SourceCoordinates.Queue("lake-events", "5fea7756-0ea4", 2)))
                .isEqualTo(new LakeSink.Position("lake-events", "5fea7756-0ea4-2"));
    }

    /** Downloads the bucket and reads it with DuckDB: event_uuid → payload; fails on an event_uuid twice. */
    private Map<String, String> readLake() throws IOException, SQLException {
        Path local = dir.resolve("download");
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(objects::add);
        for (S3Object o : objects) {
            assertThat(o.key()).matches("events/year=\\d{4}/month=\\d{2}/day=\\d{2}/event_type=[a-z0-9]+/"
                    + "product-events-[0-9a-f-]+-\\d+\\.parquet");
            Path target = local.resolve(o.key());
            Files.createDirectories(target.getParent());
            s3.getObject(r -> r.bucket(bucket).key(o.key()), target);
        }
        Map<String, String> payloads = new HashMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = duck.createStatement().executeQuery("SELECT event_uuid, payload FROM read_parquet('"
                     + local + "/events/**/*.parquet', hive_partitioning = true)")) {
            while (rs.next()) {
                assertThat(payloads.put(rs.getString(1), rs.getString(2))).as("event_uuid twice").isNull();
            }
        }
        return payloads;
    }

    /**
     * The work directory refuses a new file in the middle of a batch: what went before is in an open file and will be
     * stored, so the batch is not handed back to be written again; only the stored events are reported, each once,
     * and the rest of the batch goes back to the source at once.
     */
    @Test
    void aWorkDirectoryFailureMidBatchWritesNoEventTwiceAndReportsOnlyWhatIsStored() throws Exception {
        RecordingDurable reports = new RecordingDurable();
        List<Message> reported = reports.durable;
        Path work = dir.resolve("work");
        try (PartitionedParquetWriter direct = new PartitionedParquetWriter(LakeFileSettings.DEFAULTS,
                new DirectoryLakeObjectStore(dir.resolve("lake")), work)) {
            LakeSink sink = new LakeSink(direct, Clock.systemUTC());
            sink.start(reports);
            // Temporary files are named lake-1, lake-2, …: a directory where the second goes refuses it.
            Files.createDirectory(work.resolve("lake-2.parquet"));
            List<Delivery<LakeEvent>> batch = List.of(delivery("a1", "account:created", 1),
                    delivery("a2", "account:created", 2), delivery("b1", "billing:paid", 3));

            sink.write(batch);
            sink.flush();
        }

        assertThat(reported).extracting(m -> m.receipt()).containsExactly("1", "2");
        assertThat(reports.released).extracting(m -> m.receipt()).containsExactly("3");
    }

    /**
     * Under the runner, with room for just the four events in flight: the events a refused file would have held go
     * back to the source, come again and are stored; every event exactly once, and no permit stays taken (or the
     * events handed back could never be received again).
     */
    @Test
    void underTheRunnerEventsOfARefusedFileComeAgainAndEveryEventIsStoredOnce() throws Exception {
        // Temporary files are named lake-1, lake-2, …: a directory where the second goes refuses it, once.
        Files.createDirectories(dir.resolve("work").resolve("lake-2.parquet"));
        Map<String, String> good = goodEvents(4);
        good.values().forEach(queue::send);
        writer = new PartitionedParquetWriter(QUICK_FILES, new S3LakeObjectStore(s3, bucket), dir.resolve("work"));
        runner = Runner.builder("lake", queue, new LakeEventParser(), new LakeSink(writer, Clock.systemUTC()),
                rejects::addAll).settings(new RunnerSettings(1, 4, 50, Duration.ofMillis(200), 1, QUICK.backoff(),
                QUICK.stopTimeout())).build();
        runner.start();

        await().atMost(Duration.ofMinutes(1)).until(() -> queue.remaining() == 0);
        assertThat(readLake().keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
        assertThat(queue.releases()).isPositive();
        assertThat(runner.inFlight()).isZero();
        assertThat(rejects).isEmpty();
    }

    /** Closed files whose store cannot succeed are deleted and their messages handed back, with the reason. */
    @Test
    void closedFilesWhoseStoreIsGivenUpAreDeletedAndTheirMessagesGoBack() throws Exception {
        RecordingDurable reports = new RecordingDurable();
        Path lake = Files.createDirectories(dir.resolve("lake"));
        Path work = dir.resolve("work");
        try (PartitionedParquetWriter direct = new PartitionedParquetWriter(LakeFileSettings.DEFAULTS,
                new DirectoryLakeObjectStore(lake), work)) {
            LakeSink sink = new LakeSink(direct, Clock.systemUTC());
            sink.start(reports);
            sink.write(List.of(delivery("a1", "account:created", 1), delivery("b1", "billing:paid", 2)));
            // A file where the partition directories go: every store fails.
            Files.writeString(lake.resolve("events"), "in the way");
            assertThatThrownBy(sink::flush).isInstanceOf(IOException.class);

            sink.giveUpPending("storing buffered values failed permanently: bucket lake: access denied");

            assertThat(reports.released).extracting(Message::receipt).containsExactlyInAnyOrder("1", "2");
            assertThat(reports.reasons).containsOnly(
                    "storing buffered values failed permanently: bucket lake: access denied");
            assertThat(reports.durable).isEmpty();
            assertThat(direct.pendingFiles()).isZero();
            assertThat(work).isEmptyDirectory();
        }
    }

    private static Delivery<LakeEvent> delivery(String uuid, String name, long sequence) {
        Instant created = Instant.parse("2026-11-20T10:00:00Z");
        String[] parts = name.split(":");
        LakeEvent event = new LakeEvent(uuid, name, parts[0], parts[1], created.getEpochSecond(), created.toString(),
                "{}");
        return new Delivery<>(new Message("{}", new SourceCoordinates.Stream("product-events", "shardId-0",
                Long.toString(sequence)), Instant.EPOCH, Long.toString(sequence)), event);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sluice-lake-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
