package dev.sluice.pipelines.lake;

import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lake pipeline on the embedded S3 and Postgres with an in-memory queue: the writer's files read back with
 * {@code lake query}, copies dropped within one open file and after a restart.
 */
@OnEachPostgres
class LakePipelineTest {
    private static final RunnerSettings QUICK = new RunnerSettings(1, 10_000, 100, Duration.ofMillis(5), 1,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)), Duration.ofSeconds(10));

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    PostgresDatabase db;
    TestLake lake;
    final InMemoryQueue queue = new InMemoryQueue("lake-events", Duration.ofMinutes(5));
    final List<Rejected> rejects = new CopyOnWriteArrayList<>();
    LakePipeline pipeline;

    @BeforeEach
    void open() throws Exception {
        db = new PostgresDatabase(database.settings());
        db.migrate(LakePipeline.MIGRATIONS, LakePipeline.HISTORY_TABLE);
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE lake_seen, lake_compactions");
        }
        lake = new TestLake();
    }

    @AfterEach
    void close() throws Exception {
        stop();
        db.close();
    }

    private void start() throws Exception {
        // Files close a second after their first event; a copy sent at once lands while its original's is open.
        LakeSettings settings = new LakeSettings(LakeSettings.SourceKind.SQS, null, null, lake.bucket,
                new LakeFileSettings(null, null, Duration.ofSeconds(1), 20, 1024L * 1024, null),
                DedupeSettings.DEFAULTS, null, dir.resolve("work"), QUICK);
        pipeline = LakePipeline.create(settings, queue, lake.s3, db, rejects::addAll, new SimpleMeterRegistry(),
                Clock.systemUTC());
        pipeline.runner().start();
    }

    private void stop() throws Exception {
        if (pipeline != null) {
            pipeline.runner().stop();
            pipeline.close();
            pipeline = null;
        }
    }

    /**
     * Bodies by event_uuid over four types and the last 20 hours of event time (inside the dedupe horizon; what
     * lies beyond it is DedupingSinkTest's).
     */
    private static Map<String, String> events(String prefix, int count) {
        Map<String, String> events = new LinkedHashMap<>();
        long base = Instant.now().getEpochSecond() - 20 * 3_600;
        for (int i = 0; i < count; i++) {
            String uuid = prefix + "-" + i;
            events.put(uuid, "{\"event_uuid\":\"" + uuid + "\",\"event_name\":\"type" + (i % 4) + ":sub\","
                    + "\"created_at\":" + (base + (i % 3) * 6 * 3_600 + i) + ".5,\"n\":" + i + "}");
        }
        return events;
    }

    private static String type(String body) {
        return body.substring(body.indexOf("\"event_name\":\"") + 14, body.indexOf(":sub"));
    }

    private LakeQuery query() throws Exception {
        LakeMirror mirror = new LakeMirror(lake.s3, lake.bucket, "events/", new CompactionLog(db.dataSource()),
                dir.resolve("cache"));
        return new LakeQuery(mirror.sync().root());
    }

    private void assertLakeHoldsEachOnce(Map<String, String> distinct) throws Exception {
        LakeQuery q = query();
        List<String> ids = q.run("SELECT event_uuid FROM events").rows().stream().map(r -> (String) r.get(0))
                .toList();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(distinct.keySet());
        Map<String, Long> expected = distinct.values().stream().collect(Collectors.groupingBy(
                LakePipelineTest::type, Collectors.counting()));
        assertThat(TestLake.countBy(q.run("SELECT event_type, count(*) FROM events GROUP BY 1").rows(),
                r -> (String) r.get(0))).isEqualTo(expected);
    }

    @Test
    void copiesInTheSameOpenFileAndAfterARestartNeverReachTheLake() throws Exception {
        Map<String, String> first = events("a", 200);
        List<String> firstCopies = new ArrayList<>(first.values()).subList(0, 30);
        first.values().forEach(queue::send);
        firstCopies.forEach(queue::send);
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> queue.remaining() == 0);
        assertThat(pipeline.duplicates()).isEqualTo(firstCopies.size());
        assertThat(rejects).isEmpty();
        assertLakeHoldsEachOnce(first);
        assertThat(seenRows()).isEqualTo(first.size());

        stop();
        Map<String, String> second = events("b", 40);
        List<String> secondCopies = new ArrayList<>(first.values()).subList(100, 150);
        secondCopies.forEach(queue::send);
        second.values().forEach(queue::send);
        start();

        await().atMost(Duration.ofSeconds(60)).until(() -> queue.remaining() == 0);
        assertThat(pipeline.duplicates()).as("copies of events stored before the restart")
                .isEqualTo(secondCopies.size());
        Map<String, String> all = new LinkedHashMap<>(first);
        all.putAll(second);
        assertLakeHoldsEachOnce(all);
        assertThat(seenRows()).isEqualTo(all.size());
    }

    private long seenRows() throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM lake_seen")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
